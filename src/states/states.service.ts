import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FoundOrCreated, KnownId, findOrCreate } from '../common/found-or-created';
import { EndEventDto } from '../common/dto/end-event.dto';
import { changeExtensions, completeWithEvent } from '../common/lifecycle';
import { CompletionColumns, startColumns } from '../common/tracked-object.mapper';
import { Page, Status } from '../common/tracked-objects.repository';
import { ConflictApiException, NotFoundApiException } from '../errors/api-exceptions';
import { TenantContext } from '../tenancy/tenant-context';
import { Extensions } from '../validation/extensions';
import { StateStartEventDto } from './dto/state-start-event.dto';
import { StateEntity } from './state.entity';
import { NewState, StatesRepository } from './states.repository';

@Injectable()
export class StatesService {
  constructor(private readonly repository: StatesRepository) {}

  /**
   * Composite start's state step (API.md §3.2): the service's active state of the event's type, else a new
   * one. `previous_state_id`, when the state is created, must name a state of the same service.
   * `beforeCreate` runs just before a new state is inserted; `known` is what a lookup just answered.
   */
  findOrStart(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    event: StateStartEventDto,
    now: number,
    beforeCreate?: () => Promise<void>,
    known?: KnownId,
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
   * Composite start's first state in each of `serviceIds` (services this transaction just created), one
   * state per service, in one statement. A new service has no state yet, so none of these events can name a
   * `previous_state_id`: the caller leaves such events to `findOrStart`, which answers 404 for them.
   */
  startAllNew(
    manager: EntityManager,
    tenant: TenantContext,
    serviceIds: number[],
    events: StateStartEventDto[],
    now: number,
  ): Promise<number[]> {
    const rows = events.map((event, i) => newState(tenant, serviceIds[i], event, now, 1));
    return this.repository.insertMany(manager, rows);
  }

  /** A plain start (API.md §4.2) in a service the caller has checked is active. */
  start(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    event: StateStartEventDto,
    now: number,
  ): Promise<number> {
    return this.insert(manager, tenant, serviceId, event, now, null);
  }

  /** The state, if it belongs to that service; else 404. */
  async get(manager: EntityManager, serviceId: number, id: number): Promise<StateEntity> {
    const state = await this.repository.findOne(manager, { id, serviceId });
    if (!state)
      throw new NotFoundApiException(`state ${id} is not a state of service ${serviceId}`);
    return state;
  }

  /** 404 unless the state belongs to the service; 409 if it is completed (nothing can start in it). */
  async requireActiveInService(
    manager: EntityManager,
    serviceId: number,
    stateId: number,
  ): Promise<void> {
    const state = await this.get(manager, serviceId, stateId);
    if (state.completedAt !== null) {
      throw new ConflictApiException(`state ${stateId} is completed; nothing can start in it`);
    }
  }

  /** Completes the state (404 / 409); the caller cascades the returned completion to its tasks. */
  async complete(
    manager: EntityManager,
    serviceId: number,
    id: number,
    event: EndEventDto,
    now: number,
  ): Promise<CompletionColumns> {
    await this.get(manager, serviceId, id);
    return completeWithEvent(this.repository, manager, 'state', id, event, now);
  }

  /** The cascade of a service's completion: its still-active states complete with it. */
  async completeActiveOfService(
    manager: EntityManager,
    serviceId: number,
    columns: CompletionColumns,
  ): Promise<void> {
    await this.repository.completeActiveWhere(manager, 'service_id', serviceId, columns);
  }

  async changeExtensions(
    manager: EntityManager,
    serviceId: number,
    id: number,
    change: (current: Extensions) => Extensions,
  ): Promise<void> {
    await this.get(manager, serviceId, id);
    await changeExtensions(this.repository, manager, 'state', id, change);
  }

  list(
    manager: EntityManager,
    serviceId: number,
    status: Status,
    stateTypes: string[] | undefined,
    page: Page,
  ): Promise<StateEntity[]> {
    return this.repository.list(manager, serviceId, status, stateTypes, page);
  }

  /** The states of several services at once (nested arrays without a query per service). */
  ofServices(manager: EntityManager, serviceIds: number[], status: Status): Promise<StateEntity[]> {
    return this.repository.findChildren(manager, 'serviceId', serviceIds, status);
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
      await this.get(manager, serviceId, event.previous_state_id);
    return this.repository.insert(manager, newState(tenant, serviceId, event, now, activeMarker));
  }
}

function newState(
  tenant: TenantContext,
  serviceId: number,
  event: StateStartEventDto,
  now: number,
  activeMarker: 1 | null,
): NewState {
  return {
    ...startColumns(event, tenant, now),
    serviceId,
    stateType: event.state_type,
    previousStateId: event.previous_state_id ?? null,
    activeMarker,
  };
}
