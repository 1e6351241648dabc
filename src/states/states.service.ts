import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ChildLifecycle } from '../journey/child-lifecycle';
import { EndEventDto } from '../journey/dto/journey-event.dto';
import { eventFieldsOf } from '../journey/dto/event-fields.dto';
import { FindOrStartOptions, FoundOrCreated, findOrCreate } from '../journey/found-or-created';
import { JourneyScope, requireNotBefore } from '../journey/journey-scope';
import { Status } from '../journey/status';
import { CompletionColumns, eventTime, startColumns } from '../journey/tracked-object.columns';
import { nestedStatus, pageOf, TaskNestingQueryDto } from '../reads/dto/read-query.dto';
import { parseExtensionSelection } from '../reads/extension-selection';
import { groupBy } from '../reads/nested-arrays';
import { TasksService } from '../tasks/tasks.service';
import { TenantContext } from '../tenancy/tenant-context';
import { extensionsOf } from '../validation/extensions';
import { ExtensionsPolicy } from '../validation/extensions.policy';
import { StateListQueryDto } from './dto/state-query.dto';
import { StateResponseDto } from './dto/state-response.dto';
import { StateStartEventDto } from './dto/state-start-event.dto';
import { StateTransitionDto } from './dto/state-transition.dto';
import { StateEntity } from './state.entity';
import { stateJson } from './state.representation';
import { NewState, StatesRepository } from './states.repository';

/**
 * States (docs/API.md §4.2): the steps of a service. Completing one completes its active tasks (§6.1);
 * completion and extensions otherwise come from ChildLifecycle.
 */
@Injectable()
export class StatesService extends ChildLifecycle<StateEntity> {
  constructor(
    protected override readonly repository: StatesRepository,
    scope: JourneyScope,
    extensions: ExtensionsPolicy,
    private readonly tasks: TasksService,
  ) {
    super('state', repository, scope, extensions);
  }

  /**
   * Composite start's state step (docs/API.md §3.2): the service's active state of the event's type, else a
   * new one. `previous_state_id`, when the state is created, must name a state of the same service.
   */
  findOrStart(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    event: StateStartEventDto,
    now: number,
    { known, beforeCreate }: FindOrStartOptions = {},
  ): Promise<FoundOrCreated> {
    return findOrCreate(
      () => this.repository.findActiveIdByType(manager, serviceId, event.state_type),
      async () => {
        await beforeCreate?.();
        return this.insert(manager, tenant, serviceId, event, now, 1);
      },
      known,
    );
  }

  /**
   * The row composite start inserts for a new state of `event` in a service it creates, active, once the
   * service's id is known. A new service has no state yet, so such an event names no `previous_state_id`:
   * the composite plan leaves events that do to `findOrStart`, which answers 404 for them.
   */
  compositeRow(
    tenant: TenantContext,
    event: StateStartEventDto,
    now: number,
  ): (serviceId: number) => NewState {
    return (serviceId) => newState(tenant, serviceId, event, now, 1);
  }

  /** A plain start (docs/API.md §4.2): always a new state, in an active service (404 / 409 otherwise). */
  async start(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    event: StateStartEventDto,
    now: number,
  ): Promise<number> {
    const serviceStart = await this.scope.lockServiceToStart(manager, tenant, serviceId, now);
    requireNotBefore(eventTime(event, now), serviceStart, "the service's start");
    return this.insert(manager, tenant, serviceId, event, now, null);
  }

  /**
   * Completes `from` (with its active tasks) and starts `to` after it, in an active service. The event
   * fields apply to both; the body's extensions belong to the state it starts.
   */
  async transition(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    body: StateTransitionDto,
    now: number,
  ): Promise<number> {
    const serviceStart = await this.scope.lockServiceToStart(manager, tenant, serviceId, now);
    requireNotBefore(eventTime(body, now), serviceStart, "the service's start");
    const { from, to } = body;
    const end = Object.assign(new EndEventDto(), eventFieldsOf(body), {
      disposition: from.disposition,
      disposition_desc: from.disposition_desc,
    });
    await this.completeInService(manager, serviceId, from.state_id, end, now);
    const next = Object.assign(new StateStartEventDto(), eventFieldsOf(body), extensionsOf(body), {
      state_type: to.state_type,
      est_duration: to.est_duration,
      previous_state_id: from.state_id,
    });
    return this.insert(manager, tenant, serviceId, next, now, null);
  }

  async get(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    id: number,
    query: TaskNestingQueryDto,
  ): Promise<StateResponseDto> {
    await this.scope.requireLiveService(manager, tenant, serviceId);
    const [state] = await this.represent(
      manager,
      [await this.findInService(manager, serviceId, id)],
      query,
    );
    return state;
  }

  async list(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    status: Status,
    query: StateListQueryDto,
  ): Promise<StateResponseDto[]> {
    await this.scope.requireLiveService(manager, tenant, serviceId);
    const states = await this.repository.list(
      manager,
      serviceId,
      status,
      query.state_types,
      pageOf(query),
    );
    return this.represent(manager, states, query);
  }

  /** The states of several services at once (nested arrays without a query per service). */
  ofServices(manager: EntityManager, serviceIds: number[], status: Status): Promise<StateEntity[]> {
    return this.repository.findChildren(manager, 'serviceId', serviceIds, status);
  }

  protected cascade(manager: EntityManager, id: number, columns: CompletionColumns): Promise<void> {
    return this.tasks.completeActiveOfState(manager, id, columns);
  }

  /** States with the nested tasks and extensions the query asks for: one more query at most for all. */
  private async represent(
    manager: EntityManager,
    states: StateEntity[],
    query: TaskNestingQueryDto,
  ): Promise<StateResponseDto[]> {
    const selection = parseExtensionSelection(query.extensions, 'state');
    const status = nestedStatus(query.active_tasks, query.completed_tasks);
    const ids = states.map((s) => s.id);
    const tasks = status
      ? groupBy(await this.tasks.childrenOf(manager, 'stateId', ids, status), (t) => t.stateId)
      : undefined;
    return states.map((state) =>
      stateJson(state, selection, true, { status, tasks: tasks?.get(state.id) ?? [] }),
    );
  }

  private async insert(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    event: StateStartEventDto,
    now: number,
    activeMarker: 1 | null,
  ): Promise<number> {
    if (event.previous_state_id !== undefined)
      await this.findInService(manager, serviceId, event.previous_state_id);
    await this.scope.requireRoomFor(manager, 'states', serviceId);
    return this.repository.insert(manager, newState(tenant, serviceId, event, now, activeMarker));
  }
}

/** What a state's row holds of its event, whatever service it goes into. */
function stateColumns(
  tenant: TenantContext,
  event: StateStartEventDto,
  now: number,
): Omit<NewState, 'serviceId' | 'activeMarker'> {
  return {
    ...startColumns(event, tenant, now),
    stateType: event.state_type,
    previousStateId: event.previous_state_id ?? null,
  };
}

function newState(
  tenant: TenantContext,
  serviceId: number,
  event: StateStartEventDto,
  now: number,
  activeMarker: 1 | null,
): NewState {
  return { ...stateColumns(tenant, event, now), serviceId, activeMarker };
}
