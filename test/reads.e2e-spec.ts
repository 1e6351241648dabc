import { expectError, ISO_MS, useResourceApp } from './support/resource-api';
import { uniqueId } from './support/test-app';

/** Every common event field of docs/API.md §2.1, as sent and as returned (type fields as strings). */
const START_FIELDS = {
  session_id: 'sess-start',
  interaction_id: 'inter-start',
  application_type: 7,
  application_id: 40,
  resource_type: 'agent',
  resource_id: 1183,
  media_type: 'voice',
  timestamp: '2026-03-04T05:06:07.089Z',
};
const STARTED = { ...START_FIELDS, application_type: '7' };
const END_FIELDS = {
  session_id: 'sess-end',
  interaction_id: 'inter-end',
  application_type: 'IVR',
  application_id: 0,
  resource_type: 12,
  resource_id: 0,
  media_type: 'chat',
  // The same instant as 2026-03-04T05:07:37.589Z, written in another zone.
  timestamp: '2026-03-04T06:07:37.589+01:00',
};
const COMPLETED = { ...END_FIELDS, resource_type: '12', timestamp: '2026-03-04T05:07:37.589Z' };
const DURATION = 90_500;

/** The ids of a list, whatever kind of object it holds. */
const idsOf = (items: Record<string, number>[], key = 'service_id') => items.map((i) => i[key]);

/** Every key whose value is null, anywhere in a JSON value. */
function nullPaths(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => nullPaths(child, `${path}.${key}`));
}

describe('reads: representation and query parameters (docs/API.md §2.6, §4.4)', () => {
  const { app, api } = useResourceApp();

  describe('representation', () => {
    it('a service carries every recorded field, its events and its duration', async () => {
      const customer = uniqueId();
      const id = await api.startService({
        customer_id: customer,
        contact_key: '+33123456789',
        service_type: 5,
        est_duration: 600,
        ...START_FIELDS,
      });
      const active = await api.read(`/services/${id}`);
      expect(active).toEqual({
        service_id: id,
        service_type: '5',
        customer_id: customer,
        contact_key: '+33123456789',
        est_duration: 600,
        started: STARTED,
      });

      await api
        .post(`/services/${id}/end`, {
          disposition: 3,
          disposition_desc: 'Resolved on first call',
          ...END_FIELDS,
        })
        .expect(204);
      expect(await api.read(`/services/${id}`)).toEqual({
        ...active,
        duration: DURATION,
        disposition: '3',
        disposition_desc: 'Resolved on first call',
        completed: COMPLETED,
      });
    });

    it.each([
      ['state', 'states', { state_type: 'Identify' }],
      ['task', 'tasks', { task_type: 'Verify' }],
    ])(
      'a %s carries every recorded field, its events and its duration',
      async (kind, plural, type) => {
        // Time runs forwards: the service starts before what starts in it.
        const service = await api.startService({ timestamp: '2026-01-01T00:00:00.000Z' });
        const response = await api
          .post(`/services/${service}/${plural}/start`, {
            ...type,
            est_duration: 30,
            ...START_FIELDS,
          })
          .expect(201);
        const id = response.body[`${kind}_id`] as number;
        const path = `/services/${service}/${plural}/${id}`;
        await api.post(`${path}/end`, { disposition: 'done', ...END_FIELDS }).expect(204);
        expect(await api.read(path)).toEqual({
          [`${kind}_id`]: id,
          ...type,
          service_id: service,
          est_duration: 30,
          duration: DURATION,
          disposition: 'done',
          started: STARTED,
          completed: COMPLETED,
        });
      },
    );

    it('leaves absent fields out (never null), and uses the server time without a timestamp', async () => {
      const before = Date.now();
      const id = await api.startService({ service_type: undefined });
      const state = await api.startState(id);
      const task = await api.startTask(id);
      await api.post(`/services/${id}/end`).expect(204);
      const after = Date.now();
      const service = await api.read(
        `/services/${id}?active_states=true&completed_states=true&active_tasks=true&completed_tasks=true`,
      );
      expect(nullPaths(service)).toEqual([]);
      expect(Object.keys(service.started)).toEqual(['timestamp']);
      expect(Object.keys(service.completed)).toEqual(['timestamp']);
      for (const at of [service.started.timestamp, service.completed.timestamp]) {
        expect(at).toMatch(ISO_MS);
        expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(at)).toBeLessThanOrEqual(after);
      }
      expect(service.duration).toBe(
        Date.parse(service.completed.timestamp) - Date.parse(service.started.timestamp),
      );
      for (const key of ['service_type', 'contact_key', 'est_duration', 'disposition']) {
        expect(service).not.toHaveProperty(key);
      }
      for (const path of [`/states/${state}`, `/tasks/${task}`]) {
        expect(nullPaths(await api.read(`/services/${id}${path}`))).toEqual([]);
      }
    });

    it('gives service_id only to top-level states and tasks, and ids as JSON integers', async () => {
      const service = await api.startService();
      const state = await api.startState(service);
      const task = await api.startTask(service, { state_id: state });
      const nested = await api.read(`/services/${service}?active_states=true&active_tasks=true`);
      expect(nested.active_states).toEqual([expect.objectContaining({ state_id: state })]);
      expect(nested.active_states[0]).not.toHaveProperty('service_id');
      expect(nested.active_tasks).toEqual([
        expect.objectContaining({ task_id: task, state_id: state }),
      ]);
      expect(nested.active_tasks[0]).not.toHaveProperty('service_id');
      const stateRead = await api.read(`/services/${service}/states/${state}?active_tasks=true`);
      expect(stateRead).toMatchObject({ state_id: state, service_id: service });
      expect(stateRead.active_tasks[0]).not.toHaveProperty('service_id');
      for (const path of ['states', 'tasks']) {
        for (const item of await api.read(`/services/${service}/${path}`)) {
          expect(item.service_id).toBe(service);
        }
      }
      const text = (await api.get(`/services/${service}/tasks/${task}`).expect(200)).text;
      expect(text).toContain(`"task_id":${task},`);
      expect(text).toContain(`"state_id":${state},`);
      expect(text).toContain(`"service_id":${service},`);
      expect([service, state, task].every(Number.isSafeInteger)).toBe(true);
    });
  });

  describe('nested arrays', () => {
    let service: number;
    let openState: number;
    let doneState: number;
    let openTask: number;
    let doneTask: number;

    beforeAll(async () => {
      service = await api.startService();
      doneState = await api.startState(service, { state_type: 'Identify' });
      await api.post(`/services/${service}/states/${doneState}/end`).expect(204);
      openState = await api.startState(service, { state_type: 'Queue' });
      openTask = await api.startTask(service, { state_id: openState });
      doneTask = await api.startTask(service, { state_id: openState, task_type: 'Route' });
      await api.post(`/services/${service}/tasks/${doneTask}/end`).expect(204);
    });

    const NESTED = ['active_states', 'completed_states', 'active_tasks', 'completed_tasks'];

    it.each([
      ['', []],
      ['active_states=false&completed_tasks=false', []],
      ['active_states=true', ['active_states']],
      ['completed_states=true', ['completed_states']],
      ['active_states=true&completed_states=true', ['active_states', 'completed_states']],
      ['active_tasks=true', ['active_tasks']],
      ['completed_tasks=true', ['completed_tasks']],
      ['active_tasks=true&completed_tasks=true', ['active_tasks', 'completed_tasks']],
      ['active_states=true&completed_tasks=true', ['active_states', 'completed_tasks']],
    ])('a service read with "%s" has %p', async (query, expected) => {
      const expectArrays = (body: Record<string, unknown>) => {
        expect(NESTED.filter((key) => key in body)).toEqual(expected);
        const want = {
          active_states: [openState],
          completed_states: [doneState],
          active_tasks: [openTask],
          completed_tasks: [doneTask],
        };
        for (const key of expected) {
          const idKey = key.endsWith('states') ? 'state_id' : 'task_id';
          expect(idsOf(body[key] as Record<string, number>[], idKey)).toEqual(
            want[key as keyof typeof want],
          );
        }
      };
      expectArrays(await api.read(`/services/${service}?${query}`));
      const customer = (await api.read(`/services/${service}`)).customer_id;
      const [listed] = await api.read(`/customers/${customer}/services?${query}`);
      expectArrays(listed);
    });

    it.each([
      ['', []],
      ['active_tasks=true', ['active_tasks']],
      ['completed_tasks=true', ['completed_tasks']],
      ['active_tasks=true&completed_tasks=true', ['active_tasks', 'completed_tasks']],
    ])('a state read and list with "%s" has %p', async (query, expected) => {
      const want: Record<string, number[]> = {
        active_tasks: [openTask],
        completed_tasks: [doneTask],
      };
      const read = await api.read(`/services/${service}/states/${openState}?${query}`);
      const [listed] = await api.read(`/services/${service}/states/active?${query}`);
      for (const body of [read, listed]) {
        expect(['active_tasks', 'completed_tasks'].filter((key) => key in body)).toEqual(expected);
        for (const key of expected) expect(idsOf(body[key], 'task_id')).toEqual(want[key]);
      }
    });

    it('gives a state without tasks empty arrays when they are asked for', async () => {
      const read = await api.read(
        `/services/${service}/states/${doneState}?active_tasks=true&completed_tasks=true`,
      );
      expect(read).toMatchObject({ active_tasks: [], completed_tasks: [] });
    });
  });

  describe('service lists: filters, ordering and paging', () => {
    const customer = uniqueId('list');
    const started: Record<string, number> = {};

    beforeAll(async () => {
      // Started out of order; B and D share a timestamp, so D (started later) comes after B.
      const plan: [string, string, string][] = [
        ['A', 'Sales', '2026-03-01T10:00:00.000Z'],
        ['B', 'Support', '2026-03-01T09:00:00.000Z'],
        ['C', 'Sales', '2026-03-01T11:00:00.000Z'],
        ['D', 'Billing', '2026-03-01T09:00:00.000Z'],
        ['E', 'Support', '2026-03-01T10:30:00.000Z'],
      ];
      for (const [name, type, timestamp] of plan) {
        started[name] = await api.startService({
          customer_id: customer,
          service_type: type,
          timestamp,
        });
      }
      await api.post(`/services/${started.E}/end`).expect(204);
    });

    const list = async (suffix: string) =>
      ((await api.read(`/customers/${customer}/services${suffix}`)) as { service_id: number }[])
        .map((s) => Object.keys(started).find((name) => started[name] === s.service_id))
        .join('');

    it.each([
      ['', 'BDAEC'],
      ['/active', 'BDAC'],
      ['/completed', 'E'],
      ['?service_types=Sales', 'AC'],
      ['?service_types=Sales,Support', 'BAEC'],
      ['?service_types=Unknown', ''],
      ['/active?service_types=Support', 'B'],
      ['?started_from=2026-03-01T10:00:00.000Z', 'AEC'],
      ['?started_to=2026-03-01T10:00:00.000Z', 'BD'],
      ['?started_from=2026-03-01T09:00:00.000Z&started_to=2026-03-01T10:30:00.000Z', 'BDA'],
      ['?started_from=2026-03-01T10:00:00.001Z', 'EC'],
      // 10:00 UTC written in another zone (%2B is "+").
      ['?started_from=2026-03-01T11:00:00.000%2B01:00', 'AEC'],
      ['?limit=2', 'BD'],
      ['?limit=2&offset=2', 'AE'],
      ['?limit=2&offset=4', 'C'],
      ['?offset=5', ''],
      ['/active?limit=1&offset=1', 'D'],
      ['?service_types=Sales,Support&limit=2&offset=1', 'AE'],
    ])('%s lists %p, ordered by started timestamp then id', async (suffix, expected) => {
      expect(await list(suffix)).toBe(expected);
    });

    it('applies the same filters to the anonymous lists', async () => {
      const contactKey = uniqueId('+1');
      const anonymous = { customer_id: undefined, contact_key: contactKey };
      const late = await api.startService({ ...anonymous, timestamp: '2026-05-01T00:00:00.000Z' });
      const early = await api.startService({ ...anonymous, timestamp: '2026-04-01T00:00:00.000Z' });
      const read = async (query: string) =>
        idsOf(await api.read(`/services/anonymous/${contactKey}${query}`));
      expect(await read('')).toEqual([early, late]);
      expect(await read('?started_from=2026-04-15T00:00:00.000Z')).toEqual([late]);
      expect(await read('?limit=1')).toEqual([early]);
      expect(await read('/active?offset=1')).toEqual([late]);
    });

    it('pages at most 1000 services by default, the rest with offset', async () => {
      const many = uniqueId('many');
      const rows = Array.from(
        { length: 1001 },
        (_, i) => `('default', '${many}', 'Bulk', '', ${1_700_000_000_000 + i}, ${Date.now()})`,
      );
      await app().dataSource.query(
        `INSERT INTO services (tenant_id, customer_id, service_type, contact_key, started_at, last_activity_at) VALUES ${rows.join(', ')}`,
      );
      const all = await api.read(`/customers/${many}/services`);
      expect(all).toHaveLength(1000);
      const rest = await api.read(`/customers/${many}/services?offset=1000`);
      expect(rest).toHaveLength(1);
      expect(rest[0].started.timestamp).toBe(new Date(1_700_000_000_000 + 1000).toISOString());
      expect(await api.read(`/customers/${many}/services?limit=1000&offset=999`)).toHaveLength(2);
    });
  });

  describe('state and task lists: filters, ordering and paging', () => {
    let service: number;
    const states: Record<string, number> = {};
    const tasks: Record<string, number> = {};

    beforeAll(async () => {
      service = await api.startService({ timestamp: '2026-01-01T00:00:00.000Z' });
      const plan: [string, string, string][] = [
        ['a', 'Identify', '2026-03-01T10:00:00.000Z'],
        ['b', 'Queue', '2026-03-01T09:00:00.000Z'],
        ['c', 'Deliver', '2026-03-01T09:00:00.000Z'],
      ];
      for (const [name, type, timestamp] of plan) {
        states[name] = await api.startState(service, { state_type: type, timestamp });
        tasks[name] = await api.startTask(service, { task_type: type, timestamp });
      }
    });

    const names = (ids: Record<string, number>, listed: Record<string, number>[], key: string) =>
      listed.map((item) => Object.keys(ids).find((name) => ids[name] === item[key])).join('');

    it.each([
      ['', 'bca'],
      ['?limit=1', 'b'],
      ['?limit=2&offset=1', 'ca'],
      ['?offset=3', ''],
    ])('states and tasks with "%s" are %p', async (query, expected) => {
      const listedStates = await api.read(`/services/${service}/states${query}`);
      const listedTasks = await api.read(`/services/${service}/tasks${query}`);
      expect(names(states, listedStates, 'state_id')).toBe(expected);
      expect(names(tasks, listedTasks, 'task_id')).toBe(expected);
    });

    it.each([
      ['Identify,Deliver', 'ca'],
      ['Queue', 'b'],
      ['queue', ''],
    ])('state_types=%s and task_types=%s list %p', async (types, expected) => {
      const listedStates = await api.read(`/services/${service}/states?state_types=${types}`);
      const listedTasks = await api.read(`/services/${service}/tasks?task_types=${types}`);
      expect(names(states, listedStates, 'state_id')).toBe(expected);
      expect(names(tasks, listedTasks, 'task_id')).toBe(expected);
    });
  });

  describe('bad query parameter values are a 400', () => {
    let paths: Record<string, string>;

    beforeAll(async () => {
      const customer = uniqueId();
      const service = await api.startService({ customer_id: customer, contact_key: 'k1' });
      const state = await api.startState(service);
      const task = await api.startTask(service, { state_id: state });
      paths = {
        customerList: `/customers/${customer}/services`,
        customerActive: `/customers/${customer}/services/active`,
        anonymousList: '/services/anonymous/k1/completed',
        service: `/services/${service}`,
        stateList: `/services/${service}/states`,
        state: `/services/${service}/states/${state}`,
        taskList: `/services/${service}/tasks/active`,
        task: `/services/${service}/tasks/${task}`,
      };
    });

    it.each([
      ['customerList', 'limit=0'],
      ['customerList', 'limit=1001'],
      ['customerList', 'limit=-1'],
      ['customerList', 'limit=1.5'],
      ['customerList', 'limit=ten'],
      ['customerList', 'offset=x'],
      ['customerList', 'offset=-1'],
      ['customerActive', 'active_states=yes'],
      ['customerActive', 'completed_states=1'],
      ['customerList', 'active_tasks=maybe'],
      ['customerList', 'started_from=yesterday'],
      ['customerList', 'started_to=2026-13-01T00:00:00.000Z'],
      ['customerList', 'started_from=2026-03-01'],
      ['customerList', 'extensions=State.bad-name'],
      ['anonymousList', 'limit=0'],
      ['anonymousList', 'started_to=soon'],
      ['service', 'active_states=yes'],
      ['service', 'completed_tasks=on'],
      ['service', 'extensions=bad-name'],
      ['stateList', 'limit=1001'],
      ['stateList', 'offset=-5'],
      ['stateList', 'active_tasks=yes'],
      ['state', 'completed_tasks=nope'],
      ['state', 'extensions=Task.'],
      ['taskList', 'limit=-1'],
      ['taskList', 'state_id=abc'],
      ['task', 'extensions=Task.bad-name'],
    ])('%s?%s', async (path, query) => {
      const response = await api.get(`${paths[path]}?${query}`);
      expectError(response, 400, 'ValidationException');
      expect(response.body.message).toContain(query.split('=')[0]);
    });
  });
});
