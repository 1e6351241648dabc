import { ValidationException } from '../errors/api-exceptions';
import {
  allCreated,
  allFound,
  checkEventCount,
  freshEvents,
  locationOf,
  lookupKeyOf,
  processingOrder,
  serviceKeyOf,
  taskPlacement,
} from './composite-plan';
import { CompositeLookup } from './composite.repository';
import { CompositeEventDto } from './dto/composite-start-request.dto';

const event = (customer: string, extra: Partial<CompositeEventDto> = {}): CompositeEventDto => ({
  service: { customer_id: customer, service_type: 'S' },
  state: { state_type: 'A' },
  task: { task_type: 'T' },
  ...extra,
});

const none: CompositeLookup = { serviceId: null, stateId: null, taskId: null };
const found = (serviceId: number, stateId: number | null = 20, taskId: number | null = 30) => ({
  serviceId,
  stateId,
  taskId,
});

describe('composite plan', () => {
  it('refuses more events than allowed, naming the count', () => {
    expect(() => checkEventCount([event('a'), event('b')], 2)).not.toThrow();
    expect(() => checkEventCount([event('a'), event('b'), event('c')], 2)).toThrow(
      new ValidationException([
        { path: 'services', problem: 'must have at most 2 events (got 3)' },
      ]),
    );
  });

  it('keys a service by customer, type and contact key, absent parts apart from empty ones', () => {
    const anonymous = event('', { service: { contact_key: 'k', service_type: 'S' } });
    expect(serviceKeyOf(event('a'))).toBe('a\u0000S\u0000');
    expect(serviceKeyOf(anonymous)).toBe('\u0000S\u0000k');
    expect(serviceKeyOf(event('a '))).not.toBe(serviceKeyOf(event('a')));
  });

  it('groups events by service key, keeping request order within a key', () => {
    expect(processingOrder(['b', 'a', 'b', 'a', 'c'])).toEqual([1, 3, 0, 2, 4]);
  });

  it('looks a task up with its service unless it names a state of its own', () => {
    const tenant = { tenantId: 't' };
    expect(lookupKeyOf(tenant, event('a'))).toMatchObject({ taskType: 'T', taskInState: false });
    expect(lookupKeyOf(tenant, event('a', { associate_state_task: true }))).toMatchObject({
      taskType: 'T',
      taskInState: true,
    });
    const inNamedState = event('a', { task: { task_type: 'T', state_id: 7 } });
    expect(lookupKeyOf(tenant, inNamedState).taskType).toBeUndefined();
    expect(lookupKeyOf(tenant, event('a', { task: undefined })).taskType).toBeUndefined();
  });

  it('answers without a transaction only when every object of every event was found', () => {
    const events = [event('a'), event('b', { task: undefined })];
    expect(allFound(events, [found(1), found(2, 21, null)])).toEqual([
      {
        service: { service_id: 1, created: 'false' },
        state: { state_id: 20, created: 'false' },
        task: { task_id: 30, created: 'false' },
      },
      { service: { service_id: 2, created: 'false' }, state: { state_id: 21, created: 'false' } },
    ]);
    expect(allFound(events, [found(1, 20, null), found(2, 21)])).toBeUndefined();
    expect(allFound(events, [found(1), found(2, null)])).toBeUndefined();
    expect(allFound(events, [found(1), none])).toBeUndefined();
  });

  it('batches only events that certainly create everything', () => {
    const events = [
      event('a'),
      event('b'),
      event('b'),
      event('c', { state: { state_type: 'A', previous_state_id: 4 } }),
      event('d', { task: { task_type: 'T', state_id: 5 } }),
      event('e'),
    ];
    const keys = events.map(serviceKeyOf);
    const lookups = [none, none, none, none, none, found(9)];
    // 'b' twice: the second event must see the first one's service, so neither is batched.
    expect(freshEvents(events, keys, lookups, processingOrder(keys))).toEqual([0]);
  });

  it("locates the first event's task, or its state without one", () => {
    const state = { state_id: 2, created: 'true' as const };
    const service = { service_id: 1, created: 'true' as const };
    expect(locationOf({ service, state, task: { task_id: 3, created: 'true' } })).toBe(
      '/genesys/1/cs/services/1/tasks/3',
    );
    expect(locationOf({ service, state })).toBe('/genesys/1/cs/services/1/states/2');
  });

  describe('taskPlacement (docs/API.md §3.3)', () => {
    const foundService = { id: 10, created: false };
    const foundState = { id: 20, created: false };

    it("looks in the event's state with associate_state_task, trusting the lookup only for its state", () => {
      const associated = event('a', { associate_state_task: true });
      expect(taskPlacement(associated, foundService, foundState, found(10))).toEqual({
        stateId: 20,
        known: 30,
        namedState: false,
      });
      expect(
        taskPlacement(associated, foundService, { id: 21, created: false }, found(10)),
      ).toEqual({ stateId: 21, known: undefined, namedState: false });
      expect(taskPlacement(associated, foundService, { id: 22, created: true }, found(10))).toEqual(
        {
          stateId: 22,
          known: null,
          namedState: false,
        },
      );
    });

    it('looks in a named state without trusting the lookup, to be checked by the caller', () => {
      const named = event('a', { task: { task_type: 'T', state_id: 77 } });
      expect(taskPlacement(named, foundService, foundState, found(10))).toEqual({
        stateId: 77,
        known: undefined,
        namedState: true,
      });
    });

    it("looks among the service's own tasks otherwise: none in a new service", () => {
      expect(taskPlacement(event('a'), foundService, foundState, found(10))).toEqual({
        stateId: null,
        known: 30,
        namedState: false,
      });
      expect(taskPlacement(event('a'), foundService, foundState, found(11))).toMatchObject({
        known: undefined,
      });
      expect(taskPlacement(event('a'), { id: 12, created: true }, foundState, none)).toMatchObject({
        known: null,
      });
    });
  });

  it('answers an all-new event with every object created, and no task when it had none', () => {
    expect(allCreated({ serviceId: 1, stateId: 2, taskId: 3 })).toEqual({
      service: { service_id: 1, created: 'true' },
      state: { state_id: 2, created: 'true' },
      task: { task_id: 3, created: 'true' },
    });
    expect(allCreated({ serviceId: 1, stateId: 2 })).not.toHaveProperty('task');
  });
});
