import { ResourceApi } from './support/resource-api';
import { createTestApp, TestApp, uniqueId } from './support/test-app';
import { onServerDatabase } from './support/test-database';

/**
 * MAX_STATES_PER_SERVICE, MAX_TASKS_PER_SERVICE and NESTED_READ_LIMIT (docs/API.md §6.1, §4.4): a service
 * takes so many states and tasks and no more, whichever way they start, concurrent starts included; a
 * nested read shows so many of each and says how many more there are.
 */
describe('children per service are capped, nested reads are bounded', () => {
  let t: TestApp;
  let api: ResourceApi;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        SWEEP_INTERVAL: '0',
        MAX_STATES_PER_SERVICE: '3',
        MAX_TASKS_PER_SERVICE: '4',
        NESTED_READ_LIMIT: '2',
      },
    });
    api = new ResourceApi(() => t).as(uniqueId('caps'));
  });

  afterAll(async () => {
    await t.close();
  });

  const newService = async () =>
    (await api.post('/services/start', { customer_id: uniqueId('c') }).expect(201)).body
      .service_id as number;

  it('refuses the state past MAX_STATES_PER_SERVICE with a 409 naming it, by start, transition or composite start', async () => {
    const id = await newService();
    const first = await api.post(`/services/${id}/states/start`, { state_type: 'A' }).expect(201);
    await api.post(`/services/${id}/states/start`, { state_type: 'B' }).expect(201);
    await api
      .post(`/services/${id}/states/transition`, {
        from: { state_id: first.body.state_id },
        to: { state_type: 'C' },
      })
      .expect(201);
    const refused = await api.post(`/services/${id}/states/start`, { state_type: 'D' }).expect(409);
    expect(refused.body).toMatchObject({
      exception: 'ConflictException',
      message: `service ${id} holds 3 states, the most MAX_STATES_PER_SERVICE allows`,
    });
    const read = await api.get(`/services/${id}/states`).expect(200);
    expect(read.body).toHaveLength(3);
    // Completed services are no way round it (the default lifecycle starts states in them).
    await api.post(`/services/${id}/end`, {}).expect(204);
    await api.post(`/services/${id}/states/start`, { state_type: 'E' }).expect(409);
  });

  it('refuses the task past MAX_TASKS_PER_SERVICE, a state’s tasks counted with the service’s', async () => {
    const id = await newService();
    const state = await api.post(`/services/${id}/states/start`, { state_type: 'A' }).expect(201);
    for (let i = 0; i < 2; i++) {
      await api.post(`/services/${id}/tasks/start`, { task_type: `T${i}` }).expect(201);
      await api
        .post(`/services/${id}/tasks/start`, { task_type: `S${i}`, state_id: state.body.state_id })
        .expect(201);
    }
    const refused = await api.post(`/services/${id}/tasks/start`, { task_type: 'X' }).expect(409);
    expect(refused.body.message).toBe(
      `service ${id} holds 4 tasks, the most MAX_TASKS_PER_SERVICE allows`,
    );
  });

  it('refuses composite start a state past the cap in a service it finds', async () => {
    const customer = uniqueId('c');
    const event = (stateType: string) => ({
      service: { customer_id: customer, service_type: 'Sales' },
      state: { state_type: stateType },
    });
    for (const type of ['A', 'B', 'C']) {
      await api.post('/services_composite/start', { services: [event(type)] }).expect(200);
    }
    const refused = await api
      .post('/services_composite/start', { services: [event('D')] })
      .expect(409);
    expect(refused.body.message).toMatch(/holds 3 states/);
  });

  it('shows NESTED_READ_LIMIT states and tasks in a nested read, the oldest, and how many more', async () => {
    const id = await newService();
    for (const type of ['A', 'B', 'C']) {
      await api.post(`/services/${id}/states/start`, { state_type: type }).expect(201);
    }
    for (const type of ['T1', 'T2', 'T3', 'T4']) {
      await api.post(`/services/${id}/tasks/start`, { task_type: type }).expect(201);
    }
    const nested = await api
      .get(`/services/${id}?active_states=true&completed_states=true&active_tasks=true`)
      .expect(200);
    expect(nested.body.active_states.map((s: { state_type: string }) => s.state_type)).toEqual([
      'A',
      'B',
    ]);
    expect(nested.body.more_states).toBe(1);
    expect(nested.body.active_tasks).toHaveLength(2);
    expect(nested.body.more_tasks).toBe(2);
    // The lists page through the rest.
    const rest = await api.get(`/services/${id}/states?offset=2`).expect(200);
    expect(rest.body.map((s: { state_type: string }) => s.state_type)).toEqual(['C']);
    // Under the limit nothing is said.
    const other = await newService();
    const small = await api.get(`/services/${other}?active_states=true`).expect(200);
    expect(small.body).not.toHaveProperty('more_states');
  });

  (onServerDatabase ? it : it.skip)(
    'holds the cap when starts race: exactly MAX_STATES_PER_SERVICE of 12 concurrent starts win',
    async () => {
      const id = await newService();
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          api.post(`/services/${id}/states/start`, { state_type: `R${i}` }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([...Array(3).fill(201), ...Array(9).fill(409)]);
      expect((await api.get(`/services/${id}/states`).expect(200)).body).toHaveLength(3);
    },
  );
});
