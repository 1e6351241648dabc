import request from 'supertest';
import seed from './fixtures/composite-start.seed.json';
import { createTestApp, rowCounts, TestApp, uniqueId } from './support/test-app';
import { API_BASE_PATH } from '../src/http/api-base-path';

const START = `${API_BASE_PATH}/services_composite/start`;

interface Result {
  service: { service_id: number; created: string };
  state: { state_id: number; created: string };
  task?: { task_id: number; created: string };
}

/** A composite event with a key of its own, so tests never see each other's services. */
function event(
  overrides: { service?: object; state?: object; task?: object | null } = {},
  extra: object = {},
) {
  const base: Record<string, unknown> = {
    service: { customer_id: uniqueId(), service_type: 'Sales', ...overrides.service },
    state: { state_type: 'Identify', ...overrides.state },
    ...extra,
  };
  if (overrides.task !== null) base.task = { task_type: 'Verify', ...overrides.task };
  return base;
}

describe('POST /services_composite/start', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const start = (...events: object[]) => request(t.server).post(START).send({ services: events });
  const results = (body: { services: Result[] }) => body.services;

  describe('the seed example', () => {
    // The seed's customer_id is the literal "${customer_id}": make it this test's own.
    const seedWithOwnCustomer = () => {
      const body = structuredClone(seed) as { services: { service: { customer_id: string } }[] };
      body.services[0].service.customer_id = uniqueId('seed');
      return body;
    };

    it('creates the service, state and task, then finds them again', async () => {
      const body = seedWithOwnCustomer();
      const first = await request(t.server).post(START).send(body).expect(200);
      const [created] = results(first.body);
      expect(created).toEqual({
        service: { service_id: expect.any(Number), created: 'true' },
        state: { state_id: expect.any(Number), created: 'true' },
        task: { task_id: expect.any(Number), created: 'true' },
      });
      expect(first.headers.location).toBe(
        `/genesys/1/cs/services/${created.service.service_id}/tasks/${created.task!.task_id}`,
      );

      const second = await request(t.server).post(START).send(body).expect(200);
      expect(results(second.body)).toEqual([
        {
          service: { service_id: created.service.service_id, created: 'false' },
          state: { state_id: created.state.state_id, created: 'false' },
          task: { task_id: created.task!.task_id, created: 'false' },
        },
      ]);
      expect(second.headers.location).toBe(first.headers.location);
    });

    it('is accepted verbatim, with its literal customer id', async () => {
      const response = await request(t.server).post(START).send(seed).expect(200);
      expect(results(response.body)).toHaveLength(1);
    });

    it('stores the extensions and event fields of each object', async () => {
      const body = seedWithOwnCustomer();
      const [r] = results((await request(t.server).post(START).send(body).expect(200)).body);
      const [service] = await t.dataSource.query<Record<string, unknown>[]>(
        'SELECT * FROM services WHERE id = ?',
        [r.service.service_id],
      );
      const extensions = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
      expect(extensions(service.extensions)).toEqual({
        RelatedOffersService: seed.services[0].service.RelatedOffersService,
      });
      expect(service).toMatchObject({
        service_type: 'MyService1',
        contact_key: '',
        started_interaction_id: '123ABCAADFJ1259ACF',
        started_application_type: 'App_type_1',
        started_media_type: 'voice',
        est_duration: 60,
        active_marker: 1,
      });
      expect(Number(service.started_application_id)).toBe(40);
      expect(Number(service.started_resource_id)).toBe(1183);
      const [state] = await t.dataSource.query<Record<string, unknown>[]>(
        'SELECT * FROM states WHERE id = ?',
        [r.state.state_id],
      );
      expect(Object.keys(extensions(state.extensions))).toEqual([
        'FeedbackState',
        'SatisfactionState',
      ]);
      const [task] = await t.dataSource.query<Record<string, unknown>[]>(
        'SELECT * FROM tasks WHERE id = ?',
        [r.task!.task_id],
      );
      expect(Object.keys(extensions(task.extensions))).toEqual([
        'FeedbackTask',
        'SatisfactionTask',
      ]);
      // associate_state_task "true": the task belongs to the event's state.
      expect(Number(task.state_id)).toBe(r.state.state_id);
    });
  });

  it('adds a new task type to an existing service and state', async () => {
    const first = event();
    const [a] = results((await start(first).expect(200)).body);
    const second = { ...first, task: { task_type: 'Escalate' } };
    const [b] = results((await start(second).expect(200)).body);
    expect(b.service).toEqual({ service_id: a.service.service_id, created: 'false' });
    expect(b.state).toEqual({ state_id: a.state.state_id, created: 'false' });
    expect(b.task).toEqual({ task_id: expect.any(Number), created: 'true' });
    expect(b.task!.task_id).not.toBe(a.task!.task_id);
  });

  it("answers with the state's Location and no task when the event has none", async () => {
    const response = await start(event({ task: null })).expect(200);
    const [r] = results(response.body);
    expect(r).not.toHaveProperty('task');
    expect(response.headers.location).toBe(
      `/genesys/1/cs/services/${r.service.service_id}/states/${r.state.state_id}`,
    );
  });

  describe('matching is exact', () => {
    it.each([
      ['customer_id case', { customer_id: 'X' }, { customer_id: 'x' }],
      ['customer_id trailing space', { customer_id: 'X' }, { customer_id: 'X ' }],
      ['service_type', { service_type: 'Sales' }, { service_type: 'sales' }],
      ['contact_key', { contact_key: '555' }, { contact_key: '555 ' }],
      ['contact_key present vs absent', { contact_key: '555' }, {}],
    ])('a different %s is a different service', async (_name, a, b) => {
      const customer = uniqueId();
      const first = event({ service: { customer_id: customer, ...a } });
      const second = event({ service: { customer_id: customer, ...b } });
      const [r1] = results((await start(first).expect(200)).body);
      const [r2] = results((await start(second).expect(200)).body);
      expect(r2.service.created).toBe('true');
      expect(r2.service.service_id).not.toBe(r1.service.service_id);
    });

    it('a state type differing only in case is a different state', async () => {
      const first = event({ state: { state_type: 'Queue' } });
      const [r1] = results((await start(first).expect(200)).body);
      const [r2] = results(
        (await start({ ...first, state: { state_type: 'queue' } }).expect(200)).body,
      );
      expect(r2.service.created).toBe('false');
      expect(r2.state).toEqual({ state_id: expect.any(Number), created: 'true' });
      expect(r2.state.state_id).not.toBe(r1.state.state_id);
    });
  });

  it('handles anonymous services identified by contact_key alone', async () => {
    const anonymous = { service: { contact_key: uniqueId('+33'), service_type: 'Callback' } };
    const first = event(anonymous);
    delete (first.service as Record<string, unknown>).customer_id;
    const [r1] = results((await start(first).expect(200)).body);
    const [r2] = results((await start(first).expect(200)).body);
    expect(r1.service.created).toBe('true');
    expect(r2.service).toEqual({ service_id: r1.service.service_id, created: 'false' });
  });

  it('treats integer type values as their string form', async () => {
    const customer = uniqueId();
    const asIntegers = event({
      service: { customer_id: customer, service_type: 7 },
      state: { state_type: 8 },
      task: { task_type: 9 },
    });
    const asStrings = event({
      service: { customer_id: customer, service_type: '7' },
      state: { state_type: '8' },
      task: { task_type: '9' },
    });
    const [r1] = results((await start(asIntegers).expect(200)).body);
    const [r2] = results((await start(asStrings).expect(200)).body);
    expect(r2).toEqual({
      service: { ...r1.service, created: 'false' },
      state: { ...r1.state, created: 'false' },
      task: { ...r1.task, created: 'false' },
    });
  });

  it('answers in request order, later events finding what earlier ones created', async () => {
    const first = event();
    const otherService = event();
    const sameServiceOtherState = { ...first, state: { state_type: 'Deliver' } };
    const response = await start(first, otherService, first, sameServiceOtherState).expect(200);
    const [a, b, c, d] = results(response.body);
    expect(a.service.created).toBe('true');
    expect(b.service.created).toBe('true');
    expect(b.service.service_id).not.toBe(a.service.service_id);
    expect(c).toEqual({
      service: { ...a.service, created: 'false' },
      state: { ...a.state, created: 'false' },
      task: { ...a.task, created: 'false' },
    });
    expect(d.service).toEqual({ ...a.service, created: 'false' });
    expect(d.state.created).toBe('true');
    expect(response.headers.location).toBe(
      `/genesys/1/cs/services/${a.service.service_id}/tasks/${a.task!.task_id}`,
    );
  });

  describe('associate_state_task', () => {
    const taskState = async (taskId: number) => {
      const [row] = await t.dataSource.query<{ state_id: number | null }[]>(
        'SELECT state_id FROM tasks WHERE id = ?',
        [taskId],
      );
      return row.state_id === null ? null : Number(row.state_id);
    };

    it.each([true, 'true'])('%p puts the task in the event state', async (flag) => {
      const [r] = results(
        (await start(event({}, { associate_state_task: flag })).expect(200)).body,
      );
      expect(await taskState(r.task!.task_id)).toBe(r.state.state_id);
    });

    it.each([false, 'false', undefined])('%p leaves the task outside any state', async (flag) => {
      const [r] = results(
        (await start(event({}, { associate_state_task: flag })).expect(200)).body,
      );
      expect(await taskState(r.task!.task_id)).toBeNull();
    });

    it('scopes the task match: a state task and a service task of one type are distinct', async () => {
      const base = event();
      const [inState] = results(
        (await start({ ...base, associate_state_task: true }).expect(200)).body,
      );
      const [inService] = results(
        (await start({ ...base, associate_state_task: false }).expect(200)).body,
      );
      expect(inService.task!.created).toBe('true');
      expect(inService.task!.task_id).not.toBe(inState.task!.task_id);
      const [again] = results(
        (await start({ ...base, associate_state_task: 'true' }).expect(200)).body,
      );
      expect(again.task).toEqual({ task_id: inState.task!.task_id, created: 'false' });
    });
  });

  it('does not match a completed service, state or task', async () => {
    const e = event();
    const [r1] = results((await start(e).expect(200)).body);
    // Completion through SQL until the resource API exists: what "completed" means is completed_at set and
    // the active marker cleared, which is exactly what the end operations will do.
    for (const table of ['services', 'states', 'tasks']) {
      const id = {
        services: r1.service.service_id,
        states: r1.state.state_id,
        tasks: r1.task!.task_id,
      }[table];
      await t.dataSource.query(
        `UPDATE ${table} SET completed_at = ?, active_marker = NULL WHERE id = ?`,
        [Date.now(), id],
      );
    }
    const [r2] = results((await start(e).expect(200)).body);
    expect(r2.service.created).toBe('true');
    expect(r2.service.service_id).not.toBe(r1.service.service_id);
    expect(r2.state.created).toBe('true');
    expect(r2.task!.created).toBe('true');
  });

  it('takes the most recently started of several active services with the same key', async () => {
    const e = event();
    const [r1] = results((await start(e).expect(200)).body);
    // A plain start (resource API) creates duplicates without the active marker; simulate a later one.
    const [original] = await t.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM services WHERE id = ?',
      [r1.service.service_id],
    );
    await t.dataSource.query(
      'INSERT INTO services (tenant_id, customer_id, service_type, contact_key, started_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?)',
      [
        original.tenant_id,
        original.customer_id,
        original.service_type,
        original.contact_key,
        Number(original.started_at) + 1000,
        Date.now(),
      ],
    );
    const [r2] = results((await start(e).expect(200)).body);
    expect(r2.service.created).toBe('false');
    expect(r2.service.service_id).toBeGreaterThan(r1.service.service_id);
  });

  it('keeps tenants apart: the same key in another tenant is another service', async () => {
    const e = event();
    const [r1] = results((await start(e).expect(200)).body);
    const other = await request(t.server)
      .post(START)
      .set('ContactCenterId', 'tenant-b')
      .send({ services: [e] })
      .expect(200);
    expect(results(other.body)[0].service.created).toBe('true');
    expect(results(other.body)[0].service.service_id).not.toBe(r1.service.service_id);
  });

  it('rejects a task.state_id that is not a state of the service, storing nothing', async () => {
    const before = await rowCounts(t.dataSource);
    const response = await start(event({ task: { task_type: 'X', state_id: 999999999 } })).expect(
      404,
    );
    expect(response.body).toMatchObject({ statusCode: 404, exception: 'NotFoundException' });
    expect(response.body.message).toMatch(
      /^services\[0\]: state 999999999 is not a state of service \d+$/,
    );
    expect(await rowCounts(t.dataSource)).toEqual(before);
  });
});
