import { resourcePath } from '../http/api-base-path';
import { ValidationException } from '../errors/api-exceptions';
import { requireNotBefore } from '../journey/journey-scope';
import { eventTime } from '../journey/tracked-object.columns';
import { TenantContext } from '../tenancy/tenant-context';
import { CompositeEventDto } from './dto/composite-start-request.dto';
import { CompositeResultDto } from './dto/composite-start-response.dto';
import { KnownId } from '../journey/found-or-created';
import { CompositeLookup, CompositeLookupKey, FreshIds } from './composite.repository';

/*
 * The pure planning of a composite start (docs/API.md §3): in what order its events run, which of them
 * certainly create everything, and the answer when the lookup already found everything. Nothing here
 * touches the database; the controller runs the plan.
 */

export const createdFlag = (created: boolean) => (created ? 'true' : 'false');

/** The answer for an event whose service, state and task (when it has one) were all created. */
export function allCreated({ serviceId, stateId, taskId }: FreshIds): CompositeResultDto {
  const result: CompositeResultDto = {
    service: { service_id: serviceId, created: 'true' },
    state: { state_id: stateId, created: 'true' },
  };
  if (taskId !== undefined) result.task = { task_id: taskId, created: 'true' };
  return result;
}

/**
 * Where an event's task is looked for (docs/API.md §3.3), once its service and state are found or created:
 * the state's tasks (associate_state_task), the named state's, or the service's own (`stateId` null); and
 * what the lookup (`hint`) says of it, where that still holds (see KnownId). `namedState` is checked by the
 * caller.
 */
export function taskPlacement(
  event: CompositeEventDto,
  service: { id: number; created: boolean },
  state: { id: number; created: boolean },
  hint: CompositeLookup | undefined,
): { stateId: number | null; known: KnownId; namedState: boolean } {
  if (event.associate_state_task) {
    const known = state.created
      ? null
      : state.id !== hint?.stateId || service.id !== hint.serviceId
        ? undefined
        : hint.taskId;
    return { stateId: state.id, known, namedState: false };
  }
  if (event.task?.state_id !== undefined) {
    return { stateId: event.task.state_id, known: undefined, namedState: true };
  }
  const known = service.created ? null : service.id === hint?.serviceId ? hint.taskId : undefined;
  return { stateId: null, known, namedState: false };
}

/** 400 when the request has more events than COMPOSITE_MAX_EVENTS allows. */
export function checkEventCount(events: CompositeEventDto[], max: number): void {
  if (events.length > max) {
    throw ValidationException.of(
      'services',
      `must have at most ${max} events (got ${events.length})`,
    );
  }
}

/** The match key of an event's service: events with the same key work on the same service. */
export const serviceKeyOf = ({ service }: CompositeEventDto) =>
  [service.customer_id ?? '', service.service_type, service.contact_key ?? ''].join('\u0000');

/**
 * Events are processed grouped by service key (a stable sort, so events of one service keep their request
 * order). Two requests touching the same services then lock them in the same order and cannot deadlock
 * each other; answers still come back in request order.
 */
export function processingOrder(keys: string[]): number[] {
  return keys
    .map((_, index) => index)
    .sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
}

/** What the one-statement lookup looks for on behalf of an event. */
export function lookupKeyOf(tenant: TenantContext, event: CompositeEventDto): CompositeLookupKey {
  const { service, state, task, associate_state_task } = event;
  return {
    tenantId: tenant.tenantId,
    customerId: service.customer_id ?? '',
    serviceType: service.service_type,
    contactKey: service.contact_key ?? '',
    stateType: state.state_type,
    // A task in a state named by id needs that state checked first; it is looked up in the transaction.
    taskType:
      task && (associate_state_task || task.state_id === undefined) ? task.task_type : undefined,
    taskInState: associate_state_task === true,
  };
}

/** The answer when the lookup found everything every event names: nothing to create, nothing to lock. */
export function allFound(
  events: CompositeEventDto[],
  lookups: CompositeLookup[],
): CompositeResultDto[] | undefined {
  const results: CompositeResultDto[] = [];
  for (const [index, { serviceId, stateId, taskId }] of lookups.entries()) {
    const wantsTask = events[index].task !== undefined;
    if (serviceId === null || stateId === null || (wantsTask && taskId === null)) return undefined;
    const result: CompositeResultDto = {
      service: { service_id: serviceId, created: 'false' },
      state: { state_id: stateId, created: 'false' },
    };
    results.push(wantsTask ? { ...result, task: { task_id: taskId!, created: 'false' } } : result);
  }
  return results;
}

/**
 * The events (indexes, in processing order) that certainly create their service, state and task: the lookup
 * found no service for their key, no other event of the request names that key, and they refer to no
 * existing state (`previous_state_id`, `task.state_id`, which would be a 404 in a new service). Their rows
 * can be inserted level by level, several events per statement; VALUES in processing order keep the lock
 * order of concurrent requests the same as one at a time.
 */
export function freshEvents(
  events: CompositeEventDto[],
  keys: string[],
  lookups: CompositeLookup[],
  order: number[],
): number[] {
  const uses = new Map<string, number>();
  for (const key of keys) uses.set(key, (uses.get(key) ?? 0) + 1);
  return order.filter(
    (index) =>
      lookups[index].serviceId === null &&
      uses.get(keys[index]) === 1 &&
      events[index].state.previous_state_id === undefined &&
      events[index].task?.state_id === undefined,
  );
}

/**
 * 400 when an event that creates its service gives its state or task a timestamp before the service's:
 * time runs forwards. (A state or task started in a found service is checked against its stored start.)
 */
export function checkNewServiceTimes(event: CompositeEventDto, index: number, now: number): void {
  const serviceStart = eventTime(event.service, now);
  for (const child of ['state', 'task'] as const) {
    const own = event[child];
    if (own?.timestamp === undefined) continue;
    try {
      requireNotBefore(eventTime(own, now), serviceStart, "the service's start");
    } catch (error) {
      throw (error as ValidationException).within(`services[${index}].${child}`);
    }
  }
}

/** `Location`: the first event's task, or its state when it had no task. */
export function locationOf(result: CompositeResultDto): string {
  const serviceId = result.service.service_id;
  return result.task
    ? resourcePath('services', serviceId, 'tasks', result.task.task_id)
    : resourcePath('services', serviceId, 'states', result.state.state_id);
}
