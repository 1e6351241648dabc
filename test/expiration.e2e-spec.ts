import request from 'supertest';
import { SweeperService } from '../src/maintenance/sweeper.service';
import { API, expectEnvelope } from './support/api-routes';
import { createTestApp, TestApp, uniqueId } from './support/test-app';

const DAY = 86_400_000;
const EPOCH = '2000-01-01T00:00:00.000Z';
const PAST = '2020-01-01T00:00:00.000Z';
const FUTURE = '2999-01-01T00:00:00.000Z';

interface Journey {
  tenant: Record<string, string>;
  owner: { customer_id: string } | { contact_key: string };
  event: object;
  serviceId: number;
  stateId: number;
  taskId: number;
}

type AppName = 'plain' | 'defaults';
type Change = (t: TestApp, j: Journey) => Promise<unknown>;

const put =
  (body: object): Change =>
  (t, j) =>
    request(t.server).put(`${API}/services/${j.serviceId}`).set(j.tenant).send(body).expect(200);
const end =
  (body: object): Change =>
  (t, j) =>
    request(t.server)
      .post(`${API}/services/${j.serviceId}/end`)
      .set(j.tenant)
      .send(body)
      .expect(204);
const idle =
  (ms: number): Change =>
  (t, j) =>
    t.dataSource.query('UPDATE services SET last_activity_at = ? WHERE id = ?', [
      Date.now() - ms,
      j.serviceId,
    ]);

/** [how, the app whose settings it needs, service start fields, what happens after the start] */
type Way = [string, AppName, object, Change?];

const EXPIRED_BY: Way[] = [
  ['ttl 0 at start', 'plain', { ttl: 0 }],
  ['expiration_time in the past at start', 'plain', { expiration_time: PAST }],
  ['PUT ttl 0', 'plain', {}, put({ ttl: 0 })],
  ['PUT expiration_time in the past', 'plain', {}, put({ expiration_time: PAST })],
  [
    'PUT ttl 0 with a future expiration_time (ttl wins)',
    'plain',
    {},
    put({ ttl: 0, expiration_time: FUTURE }),
  ],
  ['an end event with ttl 0', 'plain', {}, end({ ttl: 0 })],
  ['DEFAULT_EXPIRATION 14d after 15 idle days', 'defaults', {}, idle(15 * DAY)],
];

const ALIVE: Way[] = [
  ['expiration_time in the future at start', 'plain', { expiration_time: FUTURE }],
  [
    'PUT ttl 3600 with a past expiration_time (ttl wins)',
    'plain',
    {},
    put({ ttl: 3600, expiration_time: PAST }),
  ],
  ['no expiration, however idle', 'plain', {}, idle(400 * DAY)],
  ['DEFAULT_EXPIRATION 14d after 13 idle days', 'defaults', {}, idle(13 * DAY)],
  [
    'its own future expiration_time, idle past DEFAULT_EXPIRATION',
    'defaults',
    { expiration_time: FUTURE },
    idle(15 * DAY),
  ],
];

describe('expiration', () => {
  const apps = {} as Record<AppName, TestApp>;

  beforeAll(async () => {
    apps.plain = await createTestApp({ env: { SWEEP_INTERVAL: '0' } });
    apps.defaults = await createTestApp({
      env: { SWEEP_INTERVAL: '0', DEFAULT_EXPIRATION: '14d', SWEEP_BATCH_SIZE: '2' },
    });
  });

  afterAll(async () => {
    for (const t of Object.values(apps)) await t.close();
  });

  const composite = (t: TestApp, tenant: Record<string, string>, event: object) =>
    request(t.server)
      .post(`${API}/services_composite/start`)
      .set(tenant)
      .send({ services: [event] })
      .expect(200);

  /** A service (a customer's or anonymous) with a state and a task, through composite start. */
  async function journey(
    t: TestApp,
    tenant: Record<string, string>,
    owner: Journey['owner'],
    fields: object,
  ): Promise<Journey> {
    const event = {
      service: { ...owner, service_type: 'Sales', ...fields },
      state: { state_type: 'Identify' },
      task: { task_type: 'Verify' },
      associate_state_task: true,
    };
    const [r] = (await composite(t, tenant, event)).body.services;
    return {
      tenant,
      owner,
      event,
      serviceId: r.service.service_id,
      stateId: r.state.state_id,
      taskId: r.task.task_id,
    };
  }

  /** A customer's and an anonymous journey, started and changed the way the row says. */
  async function both(t: TestApp, [, , fields, change]: Way): Promise<Journey[]> {
    const tenant = { ContactCenterId: uniqueId('tenant') };
    const journeys = [
      await journey(t, tenant, { customer_id: uniqueId('cust') }, fields),
      await journey(t, tenant, { contact_key: uniqueId('key') }, fields),
    ];
    for (const j of journeys) await change?.(t, j);
    return journeys;
  }

  const listPaths = (j: Journey) => {
    const base =
      'customer_id' in j.owner
        ? `/customers/${j.owner.customer_id}/services`
        : `/services/anonymous/${j.owner.contact_key}`;
    return [base, `${base}/active`, `${base}/completed`];
  };

  const listed = async (t: TestApp, j: Journey) => {
    const ids: number[] = [];
    for (const path of listPaths(j)) {
      const response = await request(t.server).get(`${API}${path}`).set(j.tenant).expect(200);
      ids.push(...(response.body as { service_id: number }[]).map((s) => s.service_id));
    }
    return ids;
  };

  const exported = async (t: TestApp, tenant: Record<string, string>) =>
    (
      await request(t.server)
        .get(`${API}/maintenance/services/stream`)
        .query({ time_from: EPOCH })
        .set(tenant)
        .expect(200)
    ).body as number[];

  it.each(EXPIRED_BY)('a service expired by %s is gone for every read', async (...way) => {
    const t = apps[way[1]];
    const journeys = await both(t, way);
    expect(await exported(t, journeys[0].tenant)).toEqual([]);
    for (const j of journeys) {
      const s = `/services/${j.serviceId}`;
      const reads = [
        s,
        `${s}/states`,
        `${s}/states/active`,
        `${s}/states/${j.stateId}`,
        `${s}/tasks`,
        `${s}/tasks/${j.taskId}`,
      ];
      for (const path of reads) {
        const response = await request(t.server).get(`${API}${path}`).set(j.tenant);
        expect([path, response.status]).toEqual([path, 404]);
        expectEnvelope(response.body, 404, 'NotFoundException');
      }
      await request(t.server)
        .post(`${API}${s}/states/start`)
        .set(j.tenant)
        .send({ state_type: 'Queue' })
        .expect(404);
      await request(t.server)
        .put(`${API}${s}/extensions/Note`)
        .set(j.tenant)
        .send({ a: 1 })
        .expect(404);
      expect(await listed(t, j)).not.toContain(j.serviceId);

      // Not swept yet: the row (and its claim to the composite key) is still there.
      const [row] = await t.dataSource.query<{ n: number | string }[]>(
        'SELECT COUNT(*) AS n FROM services WHERE id = ?',
        [j.serviceId],
      );
      expect(Number(row.n)).toBe(1);
      const [again] = (await composite(t, j.tenant, j.event)).body.services;
      expect(again.service).toEqual({ service_id: expect.any(Number), created: 'true' });
      expect(again.service.service_id).not.toBe(j.serviceId);
      expect(again.state.created).toBe('true');
    }
  });

  it.each(ALIVE)('a service with %s stays', async (...way) => {
    const t = apps[way[1]];
    for (const j of await both(t, way)) {
      await request(t.server).get(`${API}/services/${j.serviceId}`).set(j.tenant).expect(200);
      expect(await listed(t, j)).toContain(j.serviceId);
      const [again] = (await composite(t, j.tenant, j.event)).body.services;
      expect(again.service).toEqual({ service_id: j.serviceId, created: 'false' });
    }
  });

  it.each([
    ['a negative ttl', { ttl: -1 }],
    ['an expiration_time that is not ISO 8601', { expiration_time: 'tomorrow' }],
    ['neither ttl nor expiration_time', {}],
  ])('PUT /services/{id} answers 400 to %s', async (_name, body) => {
    const t = apps.plain;
    const [j] = await both(t, ['', 'plain', {}]);
    const response = await request(t.server)
      .put(`${API}/services/${j.serviceId}`)
      .set(j.tenant)
      .send(body)
      .expect(400);
    expectEnvelope(response.body, 400, 'ValidationException');
  });

  it('the sweeper deletes expired services with their states and tasks, in batches, and keeps the rest', async () => {
    const t = apps.defaults;
    const expired = (await Promise.all(EXPIRED_BY.map((way) => both(t, way)))).flat();
    const alive = (
      await Promise.all(ALIVE.filter(([, app]) => app === 'defaults').map((way) => both(t, way)))
    ).flat();
    alive.push(...(await both(t, ['fresh', 'defaults', {}])));
    const counts = async (journeys: Journey[]) => {
      const ids = journeys.map((j) => j.serviceId);
      const result: number[] = [];
      for (const [table, column] of [
        ['services', 'id'],
        ['states', 'service_id'],
        ['tasks', 'service_id'],
      ]) {
        const [row] = await t.dataSource.query<{ n: number | string }[]>(
          `SELECT COUNT(*) AS n FROM ${table} WHERE ${column} IN (${ids.map(() => '?').join(',')})`,
          ids,
        );
        result.push(Number(row.n));
      }
      return result;
    };
    expect(await counts(expired)).toEqual([expired.length, expired.length, expired.length]);
    const aliveBefore = await counts(alive);

    const sweeper = t.app.get(SweeperService);
    const result = await sweeper.sweep();
    expect(result.expired).toBeGreaterThanOrEqual(expired.length);
    expect(await counts(expired)).toEqual([0, 0, 0]);
    expect(await counts(alive)).toEqual(aliveBefore);
    for (const j of alive) {
      await request(t.server)
        .get(`${API}/services/${j.serviceId}/tasks/${j.taskId}`)
        .set(j.tenant)
        .expect(200);
    }
    expect((await sweeper.sweep()).expired).toBe(0);
  });
});
