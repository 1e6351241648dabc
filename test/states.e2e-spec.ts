import { EntityManager, QueryFailedError } from 'typeorm';
import { NewState, StatesRepository } from '../src/states/states.repository';
import {
  BASE,
  describeChildPathIds,
  expectError,
  expectInternalError,
  ISO_MS,
  useResourceApp,
} from './support/resource-api';
import { rowCounts } from './support/test-app';

describe('states (docs/API.md §4.2)', () => {
  const { api } = useResourceApp();

  const ids = (states: { state_id: number }[]) => states.map((s) => s.state_id);

  describe('start', () => {
    it('answers 201 with the new id and its Location', async () => {
      const service = await api.startService();
      const response = await api
        .post(`/services/${service}/states/start`, { state_type: 'Identify' })
        .expect(201);
      expect(response.body).toEqual({ state_id: expect.any(Number) });
      expect(response.body.state_id).toBeGreaterThan(0);
      expect(response.headers.location).toBe(
        `${BASE}/services/${service}/states/${response.body.state_id}`,
      );
    });

    it('records previous_state_id', async () => {
      const service = await api.startService();
      const first = await api.startState(service);
      const second = await api.startState(service, {
        state_type: 'Queue',
        previous_state_id: first,
      });
      expect(await api.read(`/services/${service}/states/${second}`)).toMatchObject({
        previous_state_id: first,
      });
    });

    it('answers 404 for a previous_state_id of another service, storing nothing', async () => {
      const foreign = await api.startState(await api.startService());
      const service = await api.startService();
      await api.expectRejected(
        api.post(`/services/${service}/states/start`, {
          state_type: 'Queue',
          previous_state_id: foreign,
        }),
        404,
        'NotFoundException',
      );
    });

    it.each([
      ['no state_type', {}],
      ['an object state_type', { state_type: { a: 1 } }],
      ['a state_type over 64 characters', { state_type: 's'.repeat(65) }],
      ['a text previous_state_id', { state_type: 'Queue', previous_state_id: 'first' }],
      ['a zero previous_state_id', { state_type: 'Queue', previous_state_id: 0 }],
      ['a negative est_duration', { state_type: 'Queue', est_duration: -3 }],
      ['a bad extension name', { state_type: 'Queue', _hidden: 1 }],
    ])('rejects %s with 400, storing nothing', async (_name, body) => {
      const service = await api.startService();
      await api.expectRejected(
        api.post(`/services/${service}/states/start`, body),
        400,
        'ValidationException',
      );
    });
  });

  describe('complete', () => {
    it('answers 204 and records the end event', async () => {
      const service = await api.startService();
      const state = await api.startState(service);
      const response = await api
        .post(`/services/${service}/states/${state}/end`, {
          disposition: 'identified',
          disposition_desc: 'by PIN',
        })
        .expect(204);
      expect(response.text).toBe('');
      expect(await api.read(`/services/${service}/states/${state}`)).toMatchObject({
        disposition: 'identified',
        disposition_desc: 'by PIN',
        completed: { timestamp: expect.stringMatching(ISO_MS) },
      });
    });

    it('accepts no body at all', async () => {
      const service = await api.startService();
      const state = await api.startState(service);
      await api.post(`/services/${service}/states/${state}/end`).expect(204);
    });

    it('rejects a bad end event with 400, leaving the state active', async () => {
      const service = await api.startService();
      const state = await api.startState(service);
      const response = await api.post(`/services/${service}/states/${state}/end`, {
        disposition: [1],
      });
      expectError(response, 400, 'ValidationException');
      expect(await api.read(`/services/${service}/states/${state}`)).not.toHaveProperty(
        'completed',
      );
    });
  });

  describe('transition', () => {
    it('completes `from` and starts `to` after it, answering 201 with the new state', async () => {
      const service = await api.startService();
      const from = await api.startState(service);
      const task = await api.startTask(service, { state_id: from });
      const response = await api
        .post(`/services/${service}/states/transition`, {
          from: { state_id: from, disposition: 'identified', disposition_desc: 'by PIN' },
          to: { state_type: 'Queue', est_duration: 30 },
          media_type: 'voice',
          Routing: { skill: 'billing' },
        })
        .expect(201);
      expect(response.body).toEqual({ state_id: expect.any(Number) });
      const to = response.body.state_id as number;
      expect(to).not.toBe(from);
      expect(response.headers.location).toBe(`${BASE}/services/${service}/states/${to}`);

      const completed = await api.read(`/services/${service}/states/${from}`);
      expect(completed).toMatchObject({
        state_type: 'Identify',
        disposition: 'identified',
        disposition_desc: 'by PIN',
        completed: { timestamp: expect.stringMatching(ISO_MS) },
      });
      const started = await api.read(`/services/${service}/states/${to}?extensions=*`);
      expect(started).toMatchObject({
        state_type: 'Queue',
        previous_state_id: from,
        est_duration: 30,
        Routing: { skill: 'billing' },
      });
      expect(started).not.toHaveProperty('completed');
      // The tasks of `from` complete with it.
      expect(await api.read(`/services/${service}/tasks/${task}`)).toMatchObject({
        completed: { timestamp: completed.completed.timestamp },
      });
      expect(ids(await api.read(`/services/${service}/states/active`))).toEqual([to]);
    });

    it.each([
      ['an unknown state', () => Promise.resolve(987654321)],
      ['a state of another service', async () => api.startState(await api.startService())],
    ])('answers 404 for `from` being %s, starting nothing', async (_name, fromState) => {
      const service = await api.startService();
      const own = await api.startState(service);
      const from = await fromState();
      await api.expectRejected(
        api.post(`/services/${service}/states/transition`, {
          from: { state_id: from },
          to: { state_type: 'Queue' },
        }),
        404,
        'NotFoundException',
      );
      expect(ids(await api.read(`/services/${service}/states/active`))).toEqual([own]);
    });

    it('answers 409 for a completed `from`, starting nothing and keeping its first completion', async () => {
      const service = await api.startService();
      const from = await api.startState(service);
      await api
        .post(`/services/${service}/states/${from}/end`, { disposition: 'first' })
        .expect(204);
      await api.expectRejected(
        api.post(`/services/${service}/states/transition`, {
          from: { state_id: from, disposition: 'second' },
          to: { state_type: 'Queue' },
        }),
        409,
        'ConflictException',
      );
      expect(await api.read(`/services/${service}/states/${from}`)).toMatchObject({
        disposition: 'first',
      });
    });

    it.each([
      ['no from', { to: { state_type: 'Queue' } }],
      ['no to', { from: { state_id: 1 } }],
      ['a from without state_id', { from: {}, to: { state_type: 'Queue' } }],
      ['a text from.state_id', { from: { state_id: 'one' }, to: { state_type: 'Queue' } }],
      ['a to without state_type', { from: { state_id: 1 }, to: {} }],
      ['a to that is not an object', { from: { state_id: 1 }, to: 'Queue' }],
      [
        'a negative to.est_duration',
        { from: { state_id: 1 }, to: { state_type: 'Queue', est_duration: -1 } },
      ],
    ])('rejects %s with 400, changing nothing', async (_name, body) => {
      const service = await api.startService();
      await api.startState(service);
      await api.expectRejected(
        api.post(`/services/${service}/states/transition`, body),
        400,
        'ValidationException',
      );
      expect(await api.read(`/services/${service}/states/completed`)).toEqual([]);
    });
  });

  describe('list and get', () => {
    it('lists all, the active and the completed states of that service only', async () => {
      const service = await api.startService();
      const done = await api.startState(service, { state_type: 'Identify' });
      const open = await api.startState(service, { state_type: 'Queue' });
      await api.post(`/services/${service}/states/${done}/end`).expect(204);
      await api.startState(await api.startService());

      expect(ids(await api.read(`/services/${service}/states`))).toEqual([done, open]);
      expect(ids(await api.read(`/services/${service}/states/active`))).toEqual([open]);
      expect(ids(await api.read(`/services/${service}/states/completed`))).toEqual([done]);
    });

    it.each(['', '/active', '/completed'])(
      'answers an empty array for a service without states (%s)',
      async (suffix) => {
        const service = await api.startService();
        expect(await api.read(`/services/${service}/states${suffix}`)).toEqual([]);
      },
    );

    it('gets one state with its service_id', async () => {
      const service = await api.startService();
      const state = await api.startState(service, { state_type: 'Queue', est_duration: 45 });
      expect(await api.read(`/services/${service}/states/${state}`)).toEqual({
        state_id: state,
        state_type: 'Queue',
        service_id: service,
        est_duration: 45,
        started: { timestamp: expect.stringMatching(ISO_MS) },
      });
    });
  });

  describeChildPathIds('states', api);
});

/** A StatesRepository whose INSERT fails at the database for one state type, as a full disk would. */
class FaultyStatesRepository extends StatesRepository {
  override insert(manager: EntityManager, state: NewState): Promise<number> {
    if (state.stateType === 'Explode') {
      return Promise.reject(
        new QueryFailedError('INSERT INTO states …', [], new Error('Disk full writing states.ibd')),
      );
    }
    return super.insert(manager, state);
  }
}

describe('a transition is all or nothing', () => {
  const { app, api } = useResourceApp({
    override: (builder) =>
      builder.overrideProvider(StatesRepository).useClass(FaultyStatesRepository),
  });

  it('leaves `from` and its tasks active when starting `to` fails, saying nothing internal', async () => {
    const service = await api.startService();
    const from = await api.startState(service);
    const task = await api.startTask(service, { state_id: from });
    const before = await rowCounts(app().dataSource);
    const response = await api.post(`/services/${service}/states/transition`, {
      from: { state_id: from, disposition: 'moved' },
      to: { state_type: 'Explode' },
    });
    expectInternalError(response);
    expect(JSON.stringify(response.body)).not.toMatch(/INSERT|states\.ibd|Disk/);
    expect(await rowCounts(app().dataSource)).toEqual(before);
    const state = await api.read(`/services/${service}/states/${from}`);
    expect(state).not.toHaveProperty('completed');
    expect(state).not.toHaveProperty('disposition');
    expect(await api.read(`/services/${service}/tasks/${task}`)).not.toHaveProperty('completed');
    expect(await api.read(`/services/${service}/states/active`)).toHaveLength(1);
  });

  it('still transitions normally afterwards', async () => {
    const service = await api.startService();
    const from = await api.startState(service);
    await api
      .post(`/services/${service}/states/transition`, {
        from: { state_id: from },
        to: { state_type: 'Queue' },
      })
      .expect(201);
  });
});
