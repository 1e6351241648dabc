import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_EXPORT_DIR, uniqueId } from './support/test-app';
import { expectError, ResourceApi, useResourceApp } from './support/resource-api';

type Level = 'service' | 'state' | 'task';

/**
 * One object of each level, in a fresh service, and the path of its extension operations. The task is in
 * the state, so that the state's nested tasks and the service's nested tasks both show it.
 */
async function objectOf(api: ResourceApi, level: Level, extensions: object = {}) {
  const service = await api.startService(level === 'service' ? extensions : {});
  const state = await api.startState(service, level === 'state' ? extensions : {});
  const task = await api.startTask(service, {
    state_id: state,
    ...(level === 'task' ? extensions : {}),
  });
  const path = {
    service: `/services/${service}`,
    state: `/services/${service}/states/${state}`,
    task: `/services/${service}/tasks/${task}`,
  }[level];
  return { service, state, task, path };
}

const LEVELS: Level[] = ['service', 'state', 'task'];

describe('extensions (docs/API.md §5)', () => {
  const { api } = useResourceApp();

  describe('captured from bodies', () => {
    it.each(LEVELS)('a %s start stores its extensions, returned only when asked', async (level) => {
      const { path } = await objectOf(api, level, { Offer: [{ id: 1 }], Flag: true, Score: 7 });
      const plain = await api.read(path);
      expect(plain).not.toHaveProperty('Offer');
      expect(plain).not.toHaveProperty('Flag');
      expect(await api.read(`${path}?extensions=*`)).toMatchObject({
        Offer: [{ id: 1 }],
        Flag: true,
        Score: 7,
      });
      const some = await api.read(`${path}?extensions=Offer,Score,Missing`);
      expect(some).toMatchObject({ Offer: [{ id: 1 }], Score: 7 });
      expect(some).not.toHaveProperty('Flag');
      expect(some).not.toHaveProperty('Missing');
    });

    it.each(LEVELS)(
      "an end event's extension replaces the %s's extension of that name",
      async (level) => {
        const { path } = await objectOf(api, level, { Feedback: { rating: 1 }, Keep: 'me' });
        await api.post(`${path}/end`, { Feedback: { comment: 'great' }, Added: [1] }).expect(204);
        const read = await api.read(`${path}?extensions=*`);
        expect(read).toMatchObject({ Feedback: { comment: 'great' }, Keep: 'me', Added: [1] });
      },
    );

    it('an association body replaces the extensions it names', async () => {
      const { path, service } = await objectOf(api, 'service', { Offer: 1, Keep: 2 });
      await api
        .post(`/customers/c-${service}/services/${service}`, { Offer: { v: 2 } })
        .expect(200);
      expect(await api.read(`${path}?extensions=Offer,Keep`)).toMatchObject({
        Offer: { v: 2 },
        Keep: 2,
      });
    });

    it('keeps extension values of every JSON type, including null and nested arrays', async () => {
      const values = { Str: 's', Num: 1.5, Bool: false, Nul: null, Arr: [[1], { a: [] }], Obj: {} };
      const { path } = await objectOf(api, 'service', values);
      expect(await api.read(`${path}?extensions=*`)).toMatchObject(values);
    });
  });

  describe('selectors', () => {
    let service: number;
    let state: number;

    beforeAll(async () => {
      service = await api.startService({ SvcA: 'sa', SvcB: 'sb' });
      state = await api.startState(service, { StA: 'ta', StB: 'tb' });
      await api.startTask(service, { state_id: state, TkA: 'ka', TkB: 'kb' });
    });

    /** The extensions, by level, of a service read with nested states and tasks. */
    const readLevels = async (selector?: string) => {
      const query = 'active_states=true&active_tasks=true';
      const extensions = selector === undefined ? '' : `&extensions=${selector}`;
      const body = await api.read(`/services/${service}?${query}${extensions}`);
      const pick = (o: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(o).filter(([key]) => /^(Svc|St|Tk)[AB]$/.test(key)));
      return {
        service: pick(body),
        state: pick(body.active_states[0]),
        task: pick(body.active_tasks[0]),
      };
    };

    const SVC = { SvcA: 'sa', SvcB: 'sb' };
    const ST = { StA: 'ta', StB: 'tb' };
    const TK = { TkA: 'ka', TkB: 'kb' };

    it.each([
      ['SvcA', { SvcA: 'sa' }, {}, {}],
      ['SvcA,SvcB', SVC, {}, {}],
      ['State.StA', {}, { StA: 'ta' }, {}],
      ['Task.TkB', {}, {}, { TkB: 'kb' }],
      ['State.*', {}, ST, {}],
      ['State', {}, ST, {}],
      ['Task.*', {}, {}, TK],
      ['Task', {}, {}, TK],
      ['*', SVC, ST, TK],
      ['SvcB,State.StB,Task.*', { SvcB: 'sb' }, { StB: 'tb' }, TK],
      ['Missing,State.Missing,Task.Missing', {}, {}, {}],
      ['StA,TkA', {}, {}, {}],
    ])('extensions=%s', async (selector, svc, st, tk) => {
      expect(await readLevels(selector)).toEqual({ service: svc, state: st, task: tk });
    });

    it('returns no extension at any level without the parameter', async () => {
      expect(await readLevels()).toEqual({ service: {}, state: {}, task: {} });
    });

    it("selects a state's own and its nested tasks' extensions", async () => {
      const read = await api.read(
        `/services/${service}/states/${state}?active_tasks=true&extensions=StB,Task.TkA`,
      );
      expect(read).toMatchObject({ StB: 'tb' });
      expect(read).not.toHaveProperty('StA');
      expect(read.active_tasks).toHaveLength(1);
      expect(read.active_tasks[0]).toMatchObject({ TkA: 'ka' });
      expect(read.active_tasks[0]).not.toHaveProperty('TkB');
    });

    it('applies to every item of a list', async () => {
      const [task] = await api.read(`/services/${service}/tasks?extensions=TkB`);
      expect(task).toMatchObject({ TkB: 'kb' });
      expect(task).not.toHaveProperty('TkA');
      const [first] = await api.read(`/services/${service}/states?extensions=State.*`);
      expect(first).toMatchObject(ST);
    });

    it.each(['State.bad-name', 'bad-name', 'Foo.bar', 'State.', 'Task.1x', '**', 'State.A.B'])(
      'rejects extensions=%s with 400',
      async (selector) => {
        const response = await api.get(
          `/services/${service}?extensions=${encodeURIComponent(selector)}`,
        );
        expectError(response, 400, 'ValidationException');
        expect(response.body.message).toMatch(/extensions/);
      },
    );
  });

  describe.each(LEVELS)('replace and merge on a %s', (level) => {
    it('replace creates the extension, answering 200 with an empty body', async () => {
      const { path } = await objectOf(api, level);
      const response = await api.put(`${path}/extensions/Notes`, ['a', 'b']).expect(200);
      expect(response.text).toBe('');
      expect(await api.read(`${path}?extensions=Notes`)).toMatchObject({ Notes: ['a', 'b'] });
    });

    it.each([
      ['an object', { x: { y: 1 } }],
      ['a string', 'plain text'],
      ['a number', 42],
      ['null', null],
      ['an array', [1, { two: 2 }]],
    ])('replace overwrites with %s', async (_name, value) => {
      const { path } = await objectOf(api, level, { Notes: { old: true }, Other: 1 });
      await api.put(`${path}/extensions/Notes`, value).expect(200);
      const read = await api.read(`${path}?extensions=*`);
      expect(read.Notes).toEqual(value);
      expect(read.Other).toBe(1);
    });

    it('merge is shallow: it adds and overwrites top-level keys, answering 200', async () => {
      const existing = { a: 1, nested: { x: 1, y: 2 }, list: [1] };
      const { path } = await objectOf(api, level, { Profile: existing });
      const response = await api
        .put(`${path}/extensions/Profile/merge`, { nested: { z: 3 }, b: 2, list: [] })
        .expect(200);
      expect(response.text).toBe('');
      expect((await api.read(`${path}?extensions=Profile`)).Profile).toEqual({
        a: 1,
        nested: { z: 3 },
        list: [],
        b: 2,
      });
    });

    it('merge creates the extension when it is absent', async () => {
      const { path } = await objectOf(api, level);
      await api.put(`${path}/extensions/Profile/merge`, { a: 1 }).expect(200);
      expect((await api.read(`${path}?extensions=Profile`)).Profile).toEqual({ a: 1 });
    });

    it.each([
      ['an array', [1, 2]],
      ['a string', 'text'],
      ['a number', 3],
      ['null', null],
    ])('merge rejects %s body with 400', async (_name, value) => {
      const { path } = await objectOf(api, level, { Profile: { a: 1 } });
      const response = await api.put(`${path}/extensions/Profile/merge`, value);
      expectError(response, 400, 'ValidationException');
      expect((await api.read(`${path}?extensions=Profile`)).Profile).toEqual({ a: 1 });
    });

    it.each([
      ['an array', [1, 2]],
      ['a string', 'text'],
    ])('merge into %s extension is a 400, leaving it unchanged', async (_name, value) => {
      const { path } = await objectOf(api, level, { Profile: value });
      const response = await api.put(`${path}/extensions/Profile/merge`, { a: 1 });
      expectError(response, 400, 'ValidationException');
      expect((await api.read(`${path}?extensions=Profile`)).Profile).toEqual(value);
    });

    it.each([
      ['starting with a digit', '1abc'],
      ['with a dash', 'a-b'],
      ['starting with an underscore', '_x'],
      ['over 64 characters', `x${'y'.repeat(64)}`],
      ['that is a field of the API', 'disposition'],
    ])('rejects a name %s with 400, for replace and merge', async (_name, name) => {
      const { path } = await objectOf(api, level);
      for (const suffix of ['', '/merge']) {
        const response = await api.put(`${path}/extensions/${name}${suffix}`, { a: 1 });
        expectError(response, 400, 'ValidationException');
      }
      expect(await api.read(`${path}?extensions=*`)).not.toHaveProperty(name);
    });

    it('accepts a name of exactly 64 characters', async () => {
      const { path } = await objectOf(api, level);
      const name = `N${'n'.repeat(63)}`;
      await api.put(`${path}/extensions/${name}`, 1).expect(200);
      expect(await api.read(`${path}?extensions=${name}`)).toMatchObject({ [name]: 1 });
    });

    it('rejects a value nested deeper than 16 levels with 400', async () => {
      const { path } = await objectOf(api, level);
      let deep: unknown = 1;
      for (let i = 0; i < 17; i++) deep = { d: deep };
      expectError(await api.put(`${path}/extensions/Deep`, deep), 400, 'ValidationException');
    });
  });
});

describe('extension size limit (EXTENSION_MAX_BYTES=200)', () => {
  const { api } = useResourceApp({ env: { EXTENSION_MAX_BYTES: '200' } });

  /** A string value that is `bytes` long as JSON (quotes included). */
  const sized = (bytes: number) => 'v'.repeat(bytes - 2);

  it.each(LEVELS)('a %s start with an extension over the limit is a 400', async (level) => {
    const service = await api.startService();
    const start = {
      service: ['/services/start', { customer_id: 'c', Big: sized(201) }],
      state: [`/services/${service}/states/start`, { state_type: 'S', Big: sized(201) }],
      task: [`/services/${service}/tasks/start`, { task_type: 'T', Big: sized(201) }],
    }[level] as [string, object];
    const response = await api.post(...start);
    expectError(response, 400, 'ValidationException');
    expect(response.body.message).toMatch(/Big/);
  });

  it.each(LEVELS)('replace on a %s takes 200 bytes and refuses 201', async (level) => {
    const { path } = await objectOf(api, level);
    await api.put(`${path}/extensions/Big`, sized(200)).expect(200);
    expectError(await api.put(`${path}/extensions/Big`, sized(201)), 400, 'ValidationException');
    expect((await api.read(`${path}?extensions=Big`)).Big).toBe(sized(200));
  });

  it.each(LEVELS)('a merge that makes a %s extension too big is a 400', async (level) => {
    const { path } = await objectOf(api, level, { Big: { a: sized(150) } });
    const response = await api.put(`${path}/extensions/Big/merge`, { b: sized(60) });
    expectError(response, 400, 'ValidationException');
    expect((await api.read(`${path}?extensions=Big`)).Big).toEqual({ a: sized(150) });
  });

  it('an end event with an extension over the limit is a 400 and completes nothing', async () => {
    const { path } = await objectOf(api, 'task');
    const response = await api.post(`${path}/end`, { Big: sized(300) });
    expectError(response, 400, 'ValidationException');
    expect(await api.read(path)).not.toHaveProperty('completed');
  });
});

describe('extension numbers JSON cannot carry', () => {
  const { api } = useResourceApp();
  const tenant = uniqueId('big');
  const raw = (method: 'post' | 'put', path: string, text: string) =>
    api.as(tenant).raw(method, path, text);

  it('refuses 1e400 in a start, an extension replace and a merge with a 400 naming its path, storing nothing', async () => {
    const own = api.as(tenant);
    const id = (await own.post('/services/start', { customer_id: uniqueId('c') }).expect(201)).body
      .service_id as number;
    const cases: [Parameters<typeof raw>, string][] = [
      [['post', '/services/start', '{"customer_id":"c","Score":{"v":[1,1e400]}}'], 'Score.v[1]'],
      [['put', `/services/${id}/extensions/Score`, '{"v":-1e400}'], 'v'],
      [['put', `/services/${id}/extensions/Score/merge`, '{"w":1e999}'], 'w'],
    ];
    for (const [call, path] of cases) {
      const response = await raw(...call).expect(400);
      expect(response.body.details).toEqual([
        { path, problem: 'is a number too large for JSON to carry (beyond ±1.8e308)' },
      ]);
    }
    const read = await own.get(`/services/${id}?extensions=Score`).expect(200);
    expect(read.body).not.toHaveProperty('Score');
  });
});

/**
 * Numbers that a double would alter, written as a client wrote them: a Java `long` past 2^53, the smallest
 * `long`, integers and decimals longer than a double holds, trailing zeros, exponents, `-0`, a number small
 * enough to print with an exponent, and plain ones around them.
 */
const EXACT = [
  '12345678901234567890',
  '-9223372036854775808',
  '9007199254740993',
  '1.50',
  '0.1000',
  '1e2',
  '1E+2',
  '-0',
  '0.0000001',
  '3.14159265358979323846264338327950288',
  '123456789012345678901234567890.5',
  '2.5e-400',
  '42',
  '1.5',
];
const NUMBERS = `[${EXACT.join(',')}]`;
const NESTED = `{"ids":${NUMBERS},"deep":{"id":18446744073709551615}}`;

describe('extension numbers keep their digits (docs/API.md §5)', () => {
  const { api } = useResourceApp();
  const own = api.as(uniqueId('exact'));
  const raw = (method: 'post' | 'put', path: string, text: string) => own.raw(method, path, text);
  /** The answer's own text: parsing it here would round the numbers this test is about. */
  const readText = async (path: string) => (await own.get(path).expect(200)).text;

  it('every start stores them, and every read returns them as sent', async () => {
    const customer = uniqueId('c');
    const service = (
      await raw(
        'post',
        '/services/start',
        `{"customer_id":"${customer}","Nums":${NUMBERS}}`,
      ).expect(201)
    ).body.service_id as number;
    const state = (
      await raw(
        'post',
        `/services/${service}/states/start`,
        `{"state_type":"S","Nums":${NESTED}}`,
      ).expect(201)
    ).body.state_id as number;
    const task = (
      await raw(
        'post',
        `/services/${service}/tasks/start`,
        `{"task_type":"T","state_id":${state},"Nums":${NUMBERS}}`,
      ).expect(201)
    ).body.task_id as number;
    expect(await readText(`/services/${service}?extensions=Nums`)).toContain(`"Nums":${NUMBERS}`);
    expect(await readText(`/services/${service}/states/${state}?extensions=Nums`)).toContain(
      `"Nums":${NESTED}`,
    );
    expect(await readText(`/services/${service}/tasks/${task}?extensions=Nums`)).toContain(
      `"Nums":${NUMBERS}`,
    );
    const nested = await readText(
      `/services/${service}?active_states=true&active_tasks=true&extensions=State.Nums,Task.Nums,Nums`,
    );
    expect(nested.split(`"Nums":${NUMBERS}`)).toHaveLength(3);
    expect(nested).toContain(`"Nums":${NESTED}`);
    expect(await readText(`/customers/${customer}/services?extensions=Nums`)).toContain(
      `"Nums":${NUMBERS}`,
    );
  });

  it('composite start stores them on a new service, state and task, and on a known one', async () => {
    const body = (customer: string) =>
      `{"services":[{"service":{"customer_id":"${customer}","service_type":"Sales","Nums":${NUMBERS}},` +
      `"state":{"state_type":"Identify","Nums":${NESTED}},"task":{"task_type":"Verify","Nums":${NUMBERS}}}]}`;
    const customer = uniqueId('c');
    const first = await raw('post', '/services_composite/start', body(customer)).expect(200);
    const [{ service, state, task }] = first.body.services as {
      service: { service_id: number };
      state: { state_id: number };
      task: { task_id: number };
    }[];
    const read = await readText(
      `/services/${service.service_id}?active_states=true&active_tasks=true&extensions=*,State.*,Task.*`,
    );
    expect(read.split(`"Nums":${NUMBERS}`)).toHaveLength(3);
    expect(read).toContain(`"Nums":${NESTED}`);
    // The second event finds the service and adds a state and a task to it.
    const again = await raw(
      'post',
      '/services_composite/start',
      body(customer).replace('"Identify"', '"Callback"'),
    ).expect(200);
    expect(again.body.services[0].service.service_id).toBe(service.service_id);
    const newState = again.body.services[0].state.state_id as number;
    expect(newState).not.toBe(state.state_id);
    expect(
      await readText(`/services/${service.service_id}/states/${newState}?extensions=Nums`),
    ).toContain(`"Nums":${NESTED}`);
    expect(
      await readText(`/services/${service.service_id}/tasks/${task.task_id}?extensions=Nums`),
    ).toContain(`"Nums":${NUMBERS}`);
  });

  it('replace, merge, an end event and an association keep them', async () => {
    const { path, service } = await objectOf(own, 'service');
    await raw('put', `${path}/extensions/Nums`, NUMBERS).expect(200);
    expect(await readText(`${path}?extensions=Nums`)).toContain(`"Nums":${NUMBERS}`);
    await raw('put', `${path}/extensions/Ids`, '{"a":1.50}').expect(200);
    await raw('put', `${path}/extensions/Ids/merge`, '{"b":12345678901234567890}').expect(200);
    expect(await readText(`${path}?extensions=Ids`)).toContain(
      '"Ids":{"a":1.50,"b":12345678901234567890}',
    );
    await raw('post', `/customers/c-${service}/services/${service}`, `{"Assoc":${NESTED}}`).expect(
      200,
    );
    await raw('post', `${path}/end`, `{"Ended":${NUMBERS}}`).expect(204);
    const read = await readText(`${path}?extensions=*`);
    expect(read).toContain(`"Assoc":${NESTED}`);
    expect(read).toContain(`"Ended":${NUMBERS}`);
    expect(read).toContain(`"Nums":${NUMBERS}`);
  });

  it('the export stream and export files return them as stored', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    await raw(
      'post',
      '/services/start',
      `{"customer_id":"${uniqueId('c')}","Nums":${NUMBERS}}`,
    ).expect(201);
    const stream = await own
      .get(`/maintenance/services/stream?time_from=${from}&export_content=true`)
      .expect(200);
    expect(stream.text).toContain(`"Nums":${NUMBERS}`);
    const files = await own.post(`/maintenance/services/files?time_from=${from}`).expect(200);
    const [services] = (files.body as { created: string }).created.split(', ');
    expect(readFileSync(join(TEST_EXPORT_DIR, services), 'utf8')).toContain(`"Nums":${NUMBERS}`);
  });

  it('a field of the API that is a number reads the value, not the text', async () => {
    const response = await raw(
      'post',
      '/services/start',
      `{"customer_id":"${uniqueId('c')}","est_duration":1.0e3,"application_id":40.0}`,
    ).expect(201);
    const read = await own.get(`/services/${response.body.service_id}`).expect(200);
    expect(read.body).toMatchObject({ est_duration: 1000, started: { application_id: 40 } });
    const tooBig = await raw(
      'post',
      '/services/start',
      `{"customer_id":"c","application_id":12345678901234567890}`,
    ).expect(400);
    expect(tooBig.body.details).toEqual([
      { path: 'application_id', problem: 'must be between 0 and 9007199254740991' },
    ]);
  });
});
