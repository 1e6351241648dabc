import fc from 'fast-check';
import {
  endEvent,
  eventFields,
  serviceEventFields,
  extensionValue,
  FUZZ_RUNS,
  FUZZ_SEED,
  FuzzCounts,
  fuzzBodies,
  fuzzEndpoint,
  text,
  timestamp,
  typeValue,
  withExtensions,
} from './support/fuzz';
import { BASE, ResourceApi } from './support/resource-api';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';

/** Cases per endpoint: 15 endpoints share about what the composite start gets alone. */
const RUNS = Math.ceil(FUZZ_RUNS / 16);

/** Stands for the fixture's state id in transition bodies; `bind` puts the real one in its place. */
const FROM_STATE = 987654321987;

const MAX_SECONDS = 2_147_483_647;
const seconds = fc.nat({ max: MAX_SECONDS });
const futureTimestamp = fc
  .date({ min: new Date('2030-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((date) => date.toISOString());
const expiration = fc.record({ ttl: seconds, expiration_time: timestamp }, { requiredKeys: [] });

/** Bodies that docs/API.md §2 and §4 accept, by endpoint. */
const validServiceStart = withExtensions(
  fc.record(
    {
      customer_id: text(64),
      contact_key: text(128),
      service_type: typeValue,
      est_duration: fc.nat(),
      ...serviceEventFields,
    },
    { requiredKeys: ['customer_id'] },
  ),
);
const validServiceEnd = fc
  .tuple(endEvent, expiration)
  .map(([event, expires]) => ({ ...event, ...expires }));
const validAssociate = withExtensions(
  fc.record(
    {
      service_type: typeValue,
      contact_key: text(128),
      est_duration: fc.nat(),
      auto_complete_after: seconds,
      // Future expirations only: one that expires the service at once would use up the shared fixture
      // (the test at the end covers that case).
      ttl: fc.integer({ min: 60, max: MAX_SECONDS }),
      expiration_time: futureTimestamp,
    },
    { requiredKeys: [] },
  ),
);
const validExpiration = fc.oneof(
  fc.record({ ttl: seconds, expiration_time: timestamp }, { requiredKeys: ['ttl'] }),
  fc.record({ expiration_time: timestamp }),
);
const validStateStart = withExtensions(
  fc.record(
    { state_type: typeValue, est_duration: fc.nat(), ...eventFields },
    { requiredKeys: ['state_type'] },
  ),
);
const validTransition = withExtensions(
  fc.record(
    {
      from: fc.record(
        { state_id: fc.constant(FROM_STATE), disposition: typeValue, disposition_desc: text(64) },
        { requiredKeys: ['state_id'] },
      ),
      to: fc.record(
        { state_type: typeValue, est_duration: fc.nat() },
        { requiredKeys: ['state_type'] },
      ),
      ...eventFields,
    },
    { requiredKeys: ['from', 'to'] },
  ),
);
const validTaskStart = withExtensions(
  fc.record(
    { task_type: typeValue, est_duration: fc.nat(), ...eventFields },
    { requiredKeys: ['task_type'] },
  ),
);
const validMerge = fc.dictionary(
  fc
    .string({ maxLength: 10 })
    .filter((key) => !['__proto__', 'constructor', 'prototype'].includes(key)),
  extensionValue,
  { maxKeys: 3 },
);
const validPurge = fc.record({
  limit: timestamp,
  operation: fc.constantFrom(
    'purge.service.all',
    'purge.service.started',
    'purge.service.started.anonymous',
    'purge.service.completed',
    'purge.service.completed.anonymous',
  ),
});

/** The field names of the resource bodies, sent as keys where they do not belong. */
const RESOURCE_NAMES = [
  'service_id',
  'state_id',
  'task_id',
  'customer_id',
  'contact_key',
  'service_type',
  'state_type',
  'task_type',
  'previous_state_id',
  'disposition',
  'ttl',
  'expiration_time',
  'auto_complete_after',
  'from',
  'to',
  'limit',
  'operation',
  'started',
  'completed',
];

/** The objects one endpoint works on: a service of its own, with a state and a task in it. */
interface Fixture {
  service: number;
  state: number;
  task: number;
}

type Level = 'service' | 'state' | 'task';

interface Endpoint {
  name: string;
  method: 'post' | 'put';
  /** The path under the API base, for the current fixture. */
  path: (f: Fixture) => string;
  success: number;
  valid: fc.Arbitrary<unknown>;
  /** The fixture objects the endpoint needs (a service always). */
  needs?: Level[];
  tenant?: string;
  /** True when a success leaves the fixture as usable as before (no fresh one is started). */
  reusable?: boolean;
}

const extensionOf = (level: Level, path: (f: Fixture) => string): Endpoint[] => [
  {
    name: `${level} extension replace`,
    method: 'put',
    path: (f) => `${path(f)}/extensions/Note`,
    success: 200,
    valid: extensionValue,
    needs: [level],
    // A replace sets the whole value: nothing accumulates from one success to the next.
    reusable: true,
  },
  {
    name: `${level} extension merge`,
    method: 'put',
    path: (f) => `${path(f)}/extensions/Note/merge`,
    success: 200,
    valid: validMerge,
    needs: [level],
  },
];

const service = (f: Fixture) => `/services/${f.service}`;
const state = (f: Fixture) => `/services/${f.service}/states/${f.state}`;
const task = (f: Fixture) => `/services/${f.service}/tasks/${f.task}`;

const ENDPOINTS: Endpoint[] = [
  {
    name: 'service start',
    method: 'post',
    path: () => '/services/start',
    success: 201,
    valid: validServiceStart,
    reusable: true,
  },
  {
    name: 'service end',
    method: 'post',
    path: (f) => `${service(f)}/end`,
    success: 204,
    valid: validServiceEnd,
  },
  {
    name: 'service associate',
    method: 'post',
    path: (f) => `/customers/fuzz-customer/services/${f.service}`,
    success: 200,
    valid: validAssociate,
  },
  {
    name: 'service expiration',
    method: 'put',
    path: service,
    success: 200,
    valid: validExpiration,
  },
  ...extensionOf('service', service),
  {
    name: 'state start',
    method: 'post',
    path: (f) => `${service(f)}/states/start`,
    success: 201,
    valid: validStateStart,
  },
  {
    name: 'state end',
    method: 'post',
    path: (f) => `${state(f)}/end`,
    success: 204,
    valid: endEvent,
    needs: ['state'],
  },
  {
    name: 'state transition',
    method: 'post',
    path: (f) => `${service(f)}/states/transition`,
    success: 201,
    valid: validTransition,
    needs: ['state'],
  },
  ...extensionOf('state', state),
  {
    name: 'task start',
    method: 'post',
    path: (f) => `${service(f)}/tasks/start`,
    success: 201,
    valid: validTaskStart,
  },
  {
    name: 'task end',
    method: 'post',
    path: (f) => `${task(f)}/end`,
    success: 204,
    valid: endEvent,
    needs: ['task'],
  },
  ...extensionOf('task', task),
  {
    name: 'maintenance purge',
    method: 'post',
    path: () => '/maintenance/purge',
    success: 200,
    valid: validPurge,
    // A tenant of its own, so that a valid purge deletes only the service this test gave it.
    tenant: 'fuzz-purge',
  },
];

describe(`resource endpoints under generated bodies (seed ${FUZZ_SEED}, ${RUNS} per endpoint)`, () => {
  let t: TestApp;
  const counts = new Map<string, FuzzCounts>();

  beforeAll(async () => {
    // No background sweep: a service expired by a fuzzed ttl must not vanish between two counts.
    t = await createTestApp({ env: { SWEEP_INTERVAL: '0' } });
  });

  afterAll(async () => {
    await t.close();
  });

  /** The rows of the fixture's service, states and tasks, exactly as stored. */
  async function rowsOf(serviceId: number) {
    const rows = async (sql: string) => t.dataSource.query<unknown[]>(sql, [serviceId]);
    return {
      services: await rows('SELECT * FROM services WHERE id = ?'),
      states: await rows('SELECT * FROM states WHERE service_id = ? ORDER BY id'),
      tasks: await rows('SELECT * FROM tasks WHERE service_id = ? ORDER BY id'),
    };
  }

  it.each(ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))(
    '%s: never a server error, refusals in the envelope, nothing written when refused',
    async (_name, endpoint) => {
      const api = new ResourceApi(() => t, endpoint.tenant);
      const needs = endpoint.needs ?? [];
      let fixture: Fixture;
      const renew = async () => {
        const serviceId = await api.startService({ customer_id: uniqueId('fuzz') });
        fixture = {
          service: serviceId,
          state: needs.includes('state') ? await api.startState(serviceId) : 0,
          task: needs.includes('task') ? await api.startTask(serviceId) : 0,
        };
      };
      await renew();
      const result = await fuzzEndpoint(
        {
          server: t.server,
          dataSource: t.dataSource,
          method: endpoint.method,
          path: () => `${BASE}${endpoint.path(fixture)}`,
          success: endpoint.success,
          headers: endpoint.tenant ? { ContactCenterId: endpoint.tenant } : undefined,
          bind: (body) => body.replaceAll(String(FROM_STATE), String(fixture.state)),
          snapshot: async () => ({
            counts: await rowCounts(t.dataSource),
            rows: await rowsOf(fixture.service),
          }),
          renew: endpoint.reusable ? undefined : renew,
        },
        fuzzBodies(endpoint.valid, RESOURCE_NAMES),
        RUNS,
      );
      counts.set(endpoint.name, result);
      expect(result.valid).toBeGreaterThan(0);
      expect(result.refused).toBeGreaterThan(0);
    },
    60_000,
  );

  // Found by this fuzz: the association was applied, then read back as expired and answered 404.
  it('an association that expires the service at once is accepted', async () => {
    const api = new ResourceApi(() => t);
    const id = await api.startService();
    const response = await api.post(`/customers/fuzz-customer/services/${id}`, {
      expiration_time: '2026-04-13T00:19:40.481Z',
    });
    expect(response.status).toBe(200);
  });

  it(`sends at least 500 hostile bodies in all`, () => {
    const all = [...counts.values()];
    const total = (key: keyof FuzzCounts) => all.reduce((sum, c) => sum + c[key], 0);
    console.log(
      [...counts].map(([name, c]) => `${name}: ${JSON.stringify(c)}`).join('\n') +
        `\ntotal: valid ${total('valid')}, hostile ${total('hostile')}, refused ${total('refused')}`,
    );
    expect(counts.size).toBe(ENDPOINTS.length);
    expect(total('hostile')).toBeGreaterThanOrEqual(500);
  });
});
