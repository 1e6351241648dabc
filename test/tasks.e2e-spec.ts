import {
  BASE,
  describeChildPathIds,
  expectError,
  ISO_MS,
  useResourceApp,
} from './support/resource-api';

describe('tasks (docs/API.md §4.3)', () => {
  const { api } = useResourceApp();

  const ids = (tasks: { task_id: number }[]) => tasks.map((task) => task.task_id);

  describe('start', () => {
    it('answers 201 with the new id and its Location; without state_id it belongs to the service', async () => {
      const service = await api.startService();
      const response = await api
        .post(`/services/${service}/tasks/start`, { task_type: 'Verify' })
        .expect(201);
      expect(response.body).toEqual({ task_id: expect.any(Number) });
      expect(response.body.task_id).toBeGreaterThan(0);
      expect(response.headers.location).toBe(
        `${BASE}/services/${service}/tasks/${response.body.task_id}`,
      );
      const task = await api.read(`/services/${service}/tasks/${response.body.task_id}`);
      expect(task).not.toHaveProperty('state_id');
    });

    it('puts the task in the state its state_id names', async () => {
      const service = await api.startService();
      const state = await api.startState(service);
      const task = await api.startTask(service, { state_id: state });
      expect(await api.read(`/services/${service}/tasks/${task}`)).toMatchObject({
        task_id: task,
        state_id: state,
        service_id: service,
      });
    });

    it.each([
      ['an unknown state', () => Promise.resolve(987654321)],
      ['a state of another service', async () => api.startState(await api.startService())],
    ])('answers 404 for a state_id of %s, storing nothing', async (_name, stateOf) => {
      const service = await api.startService();
      const state = await stateOf();
      await api.expectRejected(
        api.post(`/services/${service}/tasks/start`, {
          task_type: 'Verify',
          state_id: state,
        }),
        404,
        'NotFoundException',
      );
    });

    it.each([
      ['no task_type', {}],
      ['a boolean task_type', { task_type: true }],
      ['a text state_id', { task_type: 'Verify', state_id: 'mine' }],
      ['a negative state_id', { task_type: 'Verify', state_id: -4 }],
      ['a text est_duration', { task_type: 'Verify', est_duration: 'long' }],
      ['a negative resource_id', { task_type: 'Verify', resource_id: -1 }],
      [
        'an interaction_id over 50 characters',
        { task_type: 'Verify', interaction_id: 'i'.repeat(51) },
      ],
    ])('rejects %s with 400, storing nothing', async (_name, body) => {
      const service = await api.startService();
      await api.expectRejected(
        api.post(`/services/${service}/tasks/start`, body),
        400,
        'ValidationException',
      );
    });
  });

  describe('complete', () => {
    it('answers 204 and records the end event, leaving its state active', async () => {
      const service = await api.startService();
      const state = await api.startState(service);
      const task = await api.startTask(service, { state_id: state });
      const response = await api
        .post(`/services/${service}/tasks/${task}/end`, { disposition: 7, disposition_desc: 'ok' })
        .expect(204);
      expect(response.text).toBe('');
      expect(await api.read(`/services/${service}/tasks/${task}`)).toMatchObject({
        disposition: '7',
        disposition_desc: 'ok',
        completed: { timestamp: expect.stringMatching(ISO_MS) },
      });
      expect(await api.read(`/services/${service}/states/${state}`)).not.toHaveProperty(
        'completed',
      );
    });

    it('accepts no body at all', async () => {
      const service = await api.startService();
      const task = await api.startTask(service);
      await api.post(`/services/${service}/tasks/${task}/end`).expect(204);
    });
  });

  describe('list and get', () => {
    /** A service with tasks of two types, in and out of a state, one of them completed. */
    async function serviceWithTasks() {
      const service = await api.startService();
      const state = await api.startState(service);
      const verify = await api.startTask(service, { task_type: 'Verify' });
      const route = await api.startTask(service, { task_type: 'Route', state_id: state });
      const callback = await api.startTask(service, { task_type: 'Callback', state_id: state });
      await api.post(`/services/${service}/tasks/${callback}/end`).expect(204);
      await api.startTask(await api.startService());
      return { service, state, verify, route, callback };
    }

    it('lists all, the active and the completed tasks of that service only', async () => {
      const { service, verify, route, callback } = await serviceWithTasks();
      expect(ids(await api.read(`/services/${service}/tasks`))).toEqual([verify, route, callback]);
      expect(ids(await api.read(`/services/${service}/tasks/active`))).toEqual([verify, route]);
      expect(ids(await api.read(`/services/${service}/tasks/completed`))).toEqual([callback]);
    });

    it('filters by task_types', async () => {
      const { service, verify, callback } = await serviceWithTasks();
      const list = await api.read(`/services/${service}/tasks?task_types=Verify,Callback`);
      expect(ids(list)).toEqual([verify, callback]);
      expect(await api.read(`/services/${service}/tasks?task_types=Unknown`)).toEqual([]);
    });

    it('filters by state_id, alone and with the status and types', async () => {
      const { service, state, route, callback } = await serviceWithTasks();
      const read = async (query: string) => ids(await api.read(`/services/${service}/${query}`));
      expect(await read(`tasks?state_id=${state}`)).toEqual([route, callback]);
      expect(await read(`tasks/active?state_id=${state}`)).toEqual([route]);
      expect(await read(`tasks/completed?state_id=${state}`)).toEqual([callback]);
      expect(await read(`tasks?state_id=${state}&task_types=Callback`)).toEqual([callback]);
    });

    it('gets one task with its service_id and state_id', async () => {
      const service = await api.startService();
      const state = await api.startState(service);
      const task = await api.startTask(service, {
        task_type: 'Route',
        state_id: state,
        est_duration: 10,
      });
      expect(await api.read(`/services/${service}/tasks/${task}`)).toEqual({
        task_id: task,
        task_type: 'Route',
        state_id: state,
        service_id: service,
        est_duration: 10,
        started: { timestamp: expect.stringMatching(ISO_MS) },
      });
    });

    it.each(['abc', '0', '-1'])('rejects state_id=%s in a list with 400', async (bad) => {
      const service = await api.startService();
      const response = await api.get(`/services/${service}/tasks?state_id=${bad}`);
      expectError(response, 400, 'ValidationException');
    });
  });

  describeChildPathIds('tasks', api);
});
