import { expectError, useResourceApp } from './support/resource-api';
import { rowCounts } from './support/test-app';

/** The lifecycle rules of docs/API.md §6.1. */
describe('lifecycle (docs/API.md §6.1)', () => {
  const { app, api } = useResourceApp();

  const completedAt = async (path: string): Promise<string | undefined> =>
    ((await api.read(path)) as { completed?: { timestamp: string } }).completed?.timestamp;

  it("completing a service completes its active states and tasks at the service's timestamp", async () => {
    const long = { timestamp: '2019-12-31T00:00:00.000Z' };
    const service = await api.startService(long);
    const earlier = await api.startState(service, { state_type: 'Identify', ...long });
    const earlierTask = await api.startTask(service, { state_id: earlier });
    await api
      .post(`/services/${service}/states/${earlier}/end`, {
        disposition: 'identified',
        timestamp: '2020-01-01T00:00:00.000Z',
      })
      .expect(204);
    const state = await api.startState(service, { state_type: 'Queue' });
    const stateTask = await api.startTask(service, { state_id: state });
    const serviceTask = await api.startTask(service);

    await api.post(`/services/${service}/end`, { disposition: 'resolved' }).expect(204);

    const at = await completedAt(`/services/${service}`);
    expect(at).toBeDefined();
    for (const path of [`states/${state}`, `tasks/${stateTask}`, `tasks/${serviceTask}`]) {
      expect(await completedAt(`/services/${service}/${path}`)).toBe(at);
    }
    // What was completed before keeps its own completion.
    const first = await api.read(`/services/${service}/states/${earlier}`);
    expect(first).toMatchObject({
      disposition: 'identified',
      completed: { timestamp: '2020-01-01T00:00:00.000Z' },
    });
    expect(await completedAt(`/services/${service}/tasks/${earlierTask}`)).toBe(
      '2020-01-01T00:00:00.000Z',
    );
    expect(await api.read(`/services/${service}/states/active`)).toEqual([]);
    expect(await api.read(`/services/${service}/tasks/active`)).toEqual([]);
  });

  it('completing a service at an explicit timestamp completes its children at that timestamp', async () => {
    const service = await api.startService({ timestamp: '2026-04-01T08:00:00.000Z' });
    const state = await api.startState(service, { timestamp: '2026-04-01T08:00:01.000Z' });
    const task = await api.startTask(service, { state_id: state });
    await api
      .post(`/services/${service}/end`, { timestamp: '2026-04-01T09:00:00.000Z' })
      .expect(204);
    for (const path of ['', `/states/${state}`, `/tasks/${task}`]) {
      expect(await completedAt(`/services/${service}${path}`)).toBe('2026-04-01T09:00:00.000Z');
    }
  });

  it("completing a state completes its active tasks, not the service's or other states'", async () => {
    const service = await api.startService();
    const state = await api.startState(service);
    const other = await api.startState(service, { state_type: 'Queue' });
    const inState = [
      await api.startTask(service, { state_id: state }),
      await api.startTask(service, { state_id: state, task_type: 'Route' }),
    ];
    const inOther = await api.startTask(service, { state_id: other });
    const ofService = await api.startTask(service);

    await api.post(`/services/${service}/states/${state}/end`).expect(204);

    const at = await completedAt(`/services/${service}/states/${state}`);
    for (const task of inState) {
      expect(await completedAt(`/services/${service}/tasks/${task}`)).toBe(at);
    }
    for (const path of [`/tasks/${inOther}`, `/tasks/${ofService}`, `/states/${other}`, '']) {
      expect(await completedAt(`/services/${service}${path}`)).toBeUndefined();
    }
  });

  describe('completing twice is a 409 and the first completion stands', () => {
    const levels: [string, (service: number) => Promise<string>][] = [
      ['service', (service) => Promise.resolve(`/services/${service}`)],
      ['state', async (service) => `/services/${service}/states/${await api.startState(service)}`],
      ['task', async (service) => `/services/${service}/tasks/${await api.startTask(service)}`],
    ];

    it.each(levels)('of a %s', async (_level, create) => {
      const path = await create(await api.startService());
      await api
        .post(`${path}/end`, { disposition: 'first', disposition_desc: 'the first one' })
        .expect(204);
      const first = await api.read(path);
      const response = await api.post(`${path}/end`, {
        disposition: 'second',
        disposition_desc: 'the second one',
        timestamp: '2030-01-01T00:00:00.000Z',
      });
      expectError(response, 409, 'ConflictException');
      expect(await api.read(path)).toEqual(first);
      expect(first).toMatchObject({ disposition: 'first', disposition_desc: 'the first one' });
    });

    it.each(levels.slice(1))('of a %s completed by its service', async (_level, create) => {
      const service = await api.startService();
      const path = await create(service);
      await api.post(`/services/${service}/end`).expect(204);
      expectError(await api.post(`${path}/end`), 409, 'ConflictException');
    });
  });

  describe('by default, as Genesys, states and tasks start in completed parents', () => {
    it.each([
      ['a state', 'states'],
      ['a task', 'tasks'],
    ])('%s starts (201) in a completed service, and then ends once', async (_name, kind) => {
      const service = await api.startService();
      await api.post(`/services/${service}/end`).expect(204);
      const id = kind === 'states' ? await api.startState(service) : await api.startTask(service);
      await api.post(`/services/${service}/${kind}/${id}/end`).expect(204);
      expectError(
        await api.post(`/services/${service}/${kind}/${id}/end`),
        409,
        'ConflictException',
      );
    });

    it('a transition runs in a completed service, from a state started after its completion', async () => {
      const service = await api.startService();
      await api.post(`/services/${service}/end`).expect(204);
      const late = await api.startState(service, { state_type: 'Wrap' });
      const response = await api
        .post(`/services/${service}/states/transition`, {
          from: { state_id: late },
          to: { state_type: 'Survey' },
        })
        .expect(201);
      const next = (response.body as { state_id: number }).state_id;
      expect(await api.read(`/services/${service}/states/${next}`)).toMatchObject({
        previous_state_id: late,
      });
      expect(await completedAt(`/services/${service}/states/${late}`)).toBeDefined();
    });

    it('a task starts in a completed state', async () => {
      const service = await api.startService();
      const state = await api.startState(service);
      await api.post(`/services/${service}/states/${state}/end`).expect(204);
      const task = await api.startTask(service, { state_id: state });
      const read = await api.read(`/services/${service}/tasks/${task}`);
      expect(read).toMatchObject({ task_id: task, state_id: state });
      expect(read).not.toHaveProperty('completed');
    });
  });

  describe('with LIFECYCLE=strict', () => {
    const strict = useResourceApp({ env: { LIFECYCLE: 'strict' } });

    it.each([
      ['a state', 'states/start', { state_type: 'Late' }],
      ['a task', 'tasks/start', { task_type: 'Late' }],
    ])('starting %s is a 409, storing nothing', async (_name, path, body) => {
      const service = await strict.api.startService();
      await strict.api.post(`/services/${service}/end`).expect(204);
      await strict.api.expectRejected(
        strict.api.post(`/services/${service}/${path}`, body),
        409,
        'ConflictException',
      );
    });

    it('a transition is a 409, storing nothing', async () => {
      const service = await strict.api.startService();
      const state = await strict.api.startState(service);
      await strict.api.post(`/services/${service}/end`).expect(204);
      await strict.api.expectRejected(
        strict.api.post(`/services/${service}/states/transition`, {
          from: { state_id: state },
          to: { state_type: 'Late' },
        }),
        409,
        'ConflictException',
      );
    });

    it('starting a task in a completed state (of an active service) is a 409, storing nothing', async () => {
      const service = await strict.api.startService();
      const state = await strict.api.startState(service);
      await strict.api.post(`/services/${service}/states/${state}/end`).expect(204);
      await strict.api.expectRejected(
        strict.api.post(`/services/${service}/tasks/start`, {
          task_type: 'Late',
          state_id: state,
        }),
        409,
        'ConflictException',
      );
      // The service itself still takes new tasks.
      await strict.api.startTask(service);
    });
  });

  it('deleting a service deletes its states, tasks and extensions', async () => {
    const before = await rowCounts(app().dataSource);
    const service = await api.startService({ Offer: [1, 2] });
    const state = await api.startState(service, { Feedback: { rating: 3 } });
    const task = await api.startTask(service, { state_id: state, Survey: 'yes' });
    await api.startTask(service);
    await api.put(`/services/${service}/extensions/Extra`, { big: true }).expect(200);
    await api.post(`/services/${service}/end`).expect(204);

    await api.delete(`/services/${service}`).expect(200);

    expect(await rowCounts(app().dataSource)).toEqual(before);
    for (const table of ['services', 'states', 'tasks']) {
      const [row] = await app().dataSource.query<{ n: number | string }[]>(
        `SELECT COUNT(*) AS n FROM ${table} WHERE ${table === 'services' ? 'id' : 'service_id'} = ?`,
        [service],
      );
      expect(Number(row.n)).toBe(0);
    }
    for (const path of ['', `/states/${state}`, `/tasks/${task}`, '/states', '/tasks']) {
      expectError(await api.get(`/services/${service}${path}`), 404, 'NotFoundException');
    }
  });
});
