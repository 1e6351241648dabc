import request from 'supertest';
import { EntityManager } from 'typeorm';
import { CompositeRepository, FreshJourney } from '../src/composite/composite.repository';
import { LOG_DESTINATION } from '../src/logging/logging.module';
import { NewService, ServicesRepository } from '../src/services/services.repository';
import { LogCapture } from './support/log-capture';
import { createTestApp, TestApp, uniqueId } from './support/test-app';
import { onServerDatabase } from './support/test-database';
import { API_BASE_PATH } from '../src/http/api-base-path';

const START = `${API_BASE_PATH}/services_composite/start`;

/** Customers named `deadlock-…` lose a lock race once each, as a concurrent transaction would make them. */
const lost = new Set<string>();
function losesOnce(customerIds: string[]): Promise<never> | undefined {
  const loser = customerIds.find((id) => id.startsWith('deadlock-') && !lost.has(id));
  if (!loser) return undefined;
  lost.add(loser);
  const error = Object.assign(new Error('Deadlock found'), { driverError: { errno: 1213 } });
  return Promise.reject(error);
}

/** Where a new service is inserted: by its module, or (all-new events) by the composite repository. */
class OnceDeadlockedServicesRepository extends ServicesRepository {
  override insert(manager: EntityManager, service: NewService) {
    return losesOnce([service.customerId]) ?? super.insert(manager, service);
  }
}

class OnceDeadlockedCompositeRepository extends CompositeRepository {
  override insertFresh(manager: EntityManager, journeys: FreshJourney[]) {
    return (
      losesOnce(journeys.map((journey) => (journey.service as NewService).customerId)) ??
      super.insertFresh(manager, journeys)
    );
  }
}

const event = (customer: string) => ({
  service: { customer_id: customer, service_type: 'Sales' },
  state: { state_type: 'Identify' },
  task: { task_type: 'Verify' },
});

/** The value of one sample of the Prometheus text exposition, 0 when absent. */
function sample(metrics: string, name: string, labels = ''): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('logs and metrics', () => {
  let t: TestApp;
  const logs = new LogCapture();

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'debug', LOG_FORMAT: 'json' },
      override: (builder) => {
        builder.overrideProvider(LOG_DESTINATION).useValue(logs);
        builder.overrideProvider(ServicesRepository).useClass(OnceDeadlockedServicesRepository);
        builder.overrideProvider(CompositeRepository).useClass(OnceDeadlockedCompositeRepository);
      },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const metrics = async () => (await request(t.server).get('/metrics').expect(200)).text;

  describe('logs', () => {
    it("writes one JSON line per request under the caller's X-Request-Id, with credentials redacted", async () => {
      await request(t.server)
        .post(START)
        .set('X-Request-Id', 'trace-42')
        .set('Authorization', 'Bearer s3cr3t-token')
        .set('X-API-Key', 'k3y-value')
        .send({ services: [event(uniqueId())] })
        .expect(200)
        .expect('X-Request-Id', 'trace-42');
      const [line] = logs.of('trace-42');
      expect(line).toMatchObject({
        level: 30,
        msg: 'request completed',
        req: { method: 'POST', url: START, headers: { authorization: '[redacted]' } },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      });
      expect((line.req as { headers: object }).headers).toMatchObject({
        'x-api-key': '[redacted]',
      });
      expect(JSON.stringify(logs.lines)).not.toMatch(/s3cr3t|k3y-value/);
    });

    it('generates an id when none (or an unusable one) is sent, the same in header, log and error body', async () => {
      const response = await request(t.server)
        .post(START)
        .set('X-Request-Id', 'not acceptable!')
        .send({ services: [] })
        .expect(400);
      const id = response.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.body.request_id).toBe(id);
      expect(logs.of(id)).toEqual([
        expect.objectContaining({ res: expect.objectContaining({ statusCode: 400 }) }),
      ]);
    });

    it('gives a request refused before routing (not JSON) its id and log line too', async () => {
      const response = await request(t.server)
        .post(START)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('hello=1')
        .expect(415);
      expect(logs.of(response.body.request_id)).toHaveLength(1);
    });

    it("binds the request id to the application's own log lines written while serving it", async () => {
      await request(t.server)
        .post(START)
        .set('X-Request-Id', 'retried-1')
        .send({ services: [event(`deadlock-${uniqueId()}`)] })
        .expect(200);
      expect(logs.of('retried-1')).toEqual([
        expect.objectContaining({
          context: 'TransactionRunner',
          msg: expect.stringMatching(/deadlock/),
        }),
        expect.objectContaining({ msg: 'request completed' }),
      ]);
    });
  });

  describe('GET /metrics', () => {
    it('is served outside the API base path in the Prometheus text format, with process metrics', async () => {
      const response = await request(t.server).get('/metrics').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
      expect(response.text).toContain('# TYPE process_cpu_seconds_total counter');
      expect(response.text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
      await request(t.server).get('/genesys/1/cs/metrics').expect(404);
    });

    it('counts requests by route template, method and status, with latency buckets', async () => {
      const route = `{method="POST",route="${START}",status_code="200"}`;
      const before = sample(await metrics(), 'http_request_duration_seconds_count', route);
      await request(t.server)
        .post(START)
        .send({ services: [event(uniqueId())] })
        .expect(200);
      const after = await metrics();
      expect(sample(after, 'http_request_duration_seconds_count', route)).toBe(before + 1);
      expect(after).toMatch(
        /^http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/genesys\/1\/cs\/services_composite\/start",status_code="200"\} \d+$/m,
      );
      await request(t.server).get('/genesys/1/cs/no/such/thing/42').expect(404);
      expect(await metrics()).toContain(
        'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}',
      );
    });

    it('counts composite events and the objects created and found, by kind', async () => {
      const objects = (kind: string, outcome: string) =>
        ['cs_composite_objects_total', `{kind="${kind}",outcome="${outcome}"}`] as const;
      const before = await metrics();
      const customer = uniqueId();
      const body = { services: [event(customer), { ...event(customer), task: undefined }] };
      await request(t.server).post(START).send(body).expect(200);
      const after = await metrics();
      const delta = (name: string, labels = '') =>
        sample(after, name, labels) - sample(before, name, labels);
      expect(delta('cs_composite_events_total')).toBe(2);
      expect(delta(...objects('service', 'created'))).toBe(1);
      expect(delta(...objects('service', 'found'))).toBe(1);
      expect(delta(...objects('state', 'created'))).toBe(1);
      expect(delta(...objects('state', 'found'))).toBe(1);
      expect(delta(...objects('task', 'created'))).toBe(1);
      expect(delta(...objects('task', 'found'))).toBe(0);
    });

    it('counts transaction retries by reason', async () => {
      const name = 'cs_transaction_retries_total';
      const before = sample(await metrics(), name, '{reason="deadlock"}');
      await request(t.server)
        .post(START)
        .send({ services: [event(`deadlock-${uniqueId()}`)] })
        .expect(200);
      expect(sample(await metrics(), name, '{reason="deadlock"}')).toBe(before + 1);
    });

    it('reports the database pool (idle between requests)', async () => {
      const text = await metrics();
      expect(sample(text, 'cs_db_pool_connections_in_use')).toBe(0);
      expect(sample(text, 'cs_db_pool_requests_waiting')).toBe(0);
      expect(text).toContain('# TYPE cs_db_pool_connections_in_use gauge');
    });

    it('reports whether the database serves, and what engine this is (Galera gives its node state)', async () => {
      const text = await metrics();
      const engine = onServerDatabase ? 'server' : 'embedded';
      expect(sample(text, 'cs_db_ready')).toBe(1);
      expect(sample(text, 'cs_db_cluster_size')).toBe(1);
      expect(
        sample(text, 'cs_db_node_info', `{engine="${engine}",node_state="",cluster_status=""}`),
      ).toBe(1);
      const health = await request(t.server).get('/health').expect(200);
      expect(health.body.info.database).toEqual({ status: 'up', engine });
    });
  });
});
