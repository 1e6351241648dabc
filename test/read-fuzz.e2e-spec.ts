import fc from 'fast-check';
import {
  FUZZ_RUNS,
  FUZZ_SEED,
  FuzzCase,
  FuzzMethod,
  fuzzEndpoint,
  hostileSegment,
  queryString,
  timestamp,
} from './support/fuzz';
import { BASE, ResourceApi } from './support/resource-api';
import { createTestApp, TestApp, uniqueId } from './support/test-app';

/** Cases per property: reads are cheap, and both together stay well under the composite fuzz. */
const RUNS = Math.ceil(FUZZ_RUNS / 5);

/** A query parameter: values the read accepts, and values it may refuse (never with a 500). */
interface Param {
  valid: fc.Arbitrary<string>;
  hostile: fc.Arbitrary<string>;
}

const hostileOr = (...extra: string[]) =>
  extra.length ? fc.oneof(hostileSegment, fc.constantFrom(...extra)) : hostileSegment;
const bool: Param = {
  valid: fc.constantFrom('true', 'false'),
  hostile: hostileOr('1', 'yes', 'TRUE', '', 'false%00'),
};
const PARAMS: Record<string, Param> = {
  active_states: bool,
  completed_states: bool,
  active_tasks: bool,
  completed_tasks: bool,
  extensions: {
    valid: fc.constantFrom('*', 'Note', 'Note%2COther', 'Note,%20Other'),
    hostile: hostileOr('', ',', 'State.', '*.*', 'State.__proto__', 'Task.1', 'Note%2C%2C'),
  },
  limit: { valid: fc.integer({ min: 1, max: 1000 }).map(String), hostile: hostileOr('1001', '') },
  offset: {
    valid: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)).map(String),
    hostile: hostileOr('-0', ''),
  },
  started_from: {
    valid: timestamp.map(encodeURIComponent),
    hostile: hostileOr('2026-02-30T10:00:00.000Z', '2026-11-27', 'now', ''),
  },
  started_to: {
    valid: timestamp.map(encodeURIComponent),
    hostile: hostileOr('2026-11-27T10:00:00', '1764201600000'),
  },
  types: {
    valid: fc.constantFrom('Sales', 'Sales%2CSupport', '42', 'Identify', 'Verify'),
    hostile: hostileOr(',', '%2C%2C', 'x'.repeat(65), ''),
  },
  state_id: { valid: fc.integer({ min: 1, max: 2 ** 40 }).map(String), hostile: hostileSegment },
};

/** Query keys no read knows, or that other query parsers treat as structure. */
const strangeKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'limit[]', 'extensions[a]', 'offset.x', '%00', ''),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);

/** One read: its path (for the fixture) and the query parameters it takes (`types` as `<kind>_types`). */
interface Read {
  path: string;
  params: string[];
  types?: string;
}

const SERVICE_PARAMS = ['active_states', 'completed_states', 'active_tasks', 'completed_tasks'];
const PAGING = ['limit', 'offset'];

function readsOf(ids: { service: number; state: number; task: number; customer: string }): Read[] {
  const s = `/services/${ids.service}`;
  const serviceLists = ['', '/active', '/completed'].flatMap((status) => [
    `/customers/${ids.customer}/services${status}`,
    `/services/anonymous/fuzz-key${status}`,
  ]);
  return [
    { path: s, params: [...SERVICE_PARAMS, 'extensions'] },
    ...serviceLists.map((path) => ({
      path,
      params: [...SERVICE_PARAMS, 'extensions', ...PAGING, 'started_from', 'started_to'],
      types: 'service_types',
    })),
    ...['', '/active', '/completed'].map((status) => ({
      path: `${s}/states${status}`,
      params: ['active_tasks', 'completed_tasks', 'extensions', ...PAGING],
      types: 'state_types',
    })),
    { path: `${s}/states/${ids.state}`, params: ['active_tasks', 'completed_tasks', 'extensions'] },
    ...['', '/active', '/completed'].map((status) => ({
      path: `${s}/tasks${status}`,
      params: ['extensions', ...PAGING, 'state_id'],
      types: 'task_types',
    })),
    { path: `${s}/tasks/${ids.task}`, params: ['extensions'] },
  ];
}

type Pair = [name: string, value: string, valid: boolean];

/** Reads with random query strings: each known parameter left out, valid or hostile, plus strange ones. */
function readCases(reads: Read[]): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...reads).chain((read) => {
    const known = [...read.params, ...(read.types ? ['types'] : [])];
    const pair = (name: string): fc.Arbitrary<Pair> => {
      const param = PARAMS[name];
      const key = name === 'types' ? read.types! : name;
      return fc.oneof(
        { weight: 3, arbitrary: param.valid.map((value): Pair => [key, value, true]) },
        { weight: 1, arbitrary: param.hostile.map((value): Pair => [key, value, false]) },
      );
    };
    const others = fc.array(
      fc.tuple(
        fc.oneof(strangeKey, fc.constantFrom(...Object.keys(PARAMS).filter((p) => p !== 'types'))),
        hostileSegment,
      ),
      { maxLength: 2 },
    );
    return fc
      .tuple(
        fc.subarray(known).chain((names) => fc.tuple(...names.map(pair))),
        others,
      )
      .map(([pairs, extra]): FuzzCase => {
        const all = [...pairs.map(([key, value]): [string, string] => [key, value]), ...extra];
        return {
          path: `${BASE}${read.path}${queryString(all)}`,
          valid: extra.length === 0 && pairs.every(([, , valid]) => valid),
        };
      });
  });
}

/** Every operation with ids in its path; `{…}` are the segments replaced, with a body that would pass. */
const OPERATIONS: [FuzzMethod, string, unknown][] = [
  ['get', '/services/{id}', undefined],
  ['delete', '/services/{id}', undefined],
  ['put', '/services/{id}', { ttl: 60 }],
  ['post', '/services/{id}/end', {}],
  ['put', '/services/{id}/extensions/{name}', [1]],
  ['put', '/services/{id}/extensions/{name}/merge', { a: 1 }],
  ['post', '/customers/{text}/services/{id}', {}],
  ['get', '/customers/{text}/services', undefined],
  ['get', '/services/anonymous/{text}/active', undefined],
  ['post', '/services/{id}/states/start', { state_type: 'Identify' }],
  ['post', '/services/{id}/states/transition', { from: { state_id: 1 }, to: { state_type: 'Q' } }],
  ['get', '/services/{id}/states/completed', undefined],
  ['get', '/services/{id}/states/{id}', undefined],
  ['post', '/services/{id}/states/{id}/end', {}],
  ['put', '/services/{id}/states/{id}/extensions/{name}', 'x'],
  ['post', '/services/{id}/tasks/start', { task_type: 'Verify' }],
  ['get', '/services/{id}/tasks/active', undefined],
  ['get', '/services/{id}/tasks/{id}', undefined],
  ['post', '/services/{id}/tasks/{id}/end', {}],
  ['put', '/services/{id}/tasks/{id}/extensions/{name}/merge', { b: 2 }],
];

/** Operations with hostile path segments (and well-formed ids of objects that do not exist). */
const pathCases: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom(...OPERATIONS),
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: hostileSegment },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 50 }).map(String) },
        { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,63}$/) },
      ),
      { minLength: 3, maxLength: 3 },
    ),
  )
  .map(([[method, template, body], segments]) => {
    let next = 0;
    return {
      method,
      path: BASE + template.replace(/\{\w+\}/g, () => segments[next++]),
      text: body === undefined ? undefined : JSON.stringify(body),
      valid: false,
    };
  });

describe(`reads and path ids under generated requests (seed ${FUZZ_SEED}, ${RUNS} each)`, () => {
  let t: TestApp;
  let api: ResourceApi;

  beforeAll(async () => {
    t = await createTestApp({ env: { SWEEP_INTERVAL: '0' } });
    api = new ResourceApi(() => t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('a read never fails with a server error, whatever its query string, and writes nothing', async () => {
    const customer = uniqueId('fuzz');
    const service = await api.startService({ customer_id: customer, Note: { a: 1 } });
    const state = await api.startState(service, { Note: [1] });
    const task = await api.startTask(service, { state_id: state, Note: 'n' });
    await api.startService({ contact_key: 'fuzz-key' });
    const counts = await fuzzEndpoint(
      {
        server: t.server,
        dataSource: t.dataSource,
        method: 'get',
        path: BASE,
        success: 200,
      },
      readCases(readsOf({ service, state, task, customer })),
      RUNS,
    );
    console.log(`reads: ${JSON.stringify(counts)}`);
    expect(counts.valid).toBeGreaterThan(0);
    expect(counts.refused).toBeGreaterThan(0);
  }, 60_000);

  it('hostile path ids and names are refused in the envelope, never with a server error', async () => {
    const counts = await fuzzEndpoint(
      {
        server: t.server,
        dataSource: t.dataSource,
        method: 'get',
        path: BASE,
        success: 200,
        // A tenant without any object: even a well-formed id must find nothing and change nothing.
        headers: { ContactCenterId: 'fuzz-paths' },
      },
      pathCases,
      RUNS,
    );
    console.log(`path ids: ${JSON.stringify(counts)}`);
    expect(counts.hostile).toBe(RUNS);
    expect(counts.refused).toBeGreaterThan(RUNS / 2);
  }, 60_000);
});
