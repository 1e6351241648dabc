import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EndEventDto } from '../common/dto/end-event.dto';
import { FoundOrCreated, KnownId, findOrCreate } from '../common/found-or-created';
import { changeExtensions, completeWithEvent } from '../common/lifecycle';
import { CompletionColumns, startColumns } from '../common/tracked-object.mapper';
import { Page, Status } from '../common/tracked-objects.repository';
import { NotFoundApiException } from '../errors/api-exceptions';
import { TenantContext } from '../tenancy/tenant-context';
import { Extensions } from '../validation/extensions';
import { TaskStartEventDto } from './dto/task-start-event.dto';
import { TaskEntity } from './task.entity';
import { NewTask, TaskListFilter, TasksRepository } from './tasks.repository';

@Injectable()
export class TasksService {
  constructor(private readonly repository: TasksRepository) {}

  /**
   * Composite start's task step (API.md §3.3): among the active tasks of `stateId` (or, with null, of the
   * service's tasks that belong to no state) the one of the event's type, else a new one in that scope.
   * The caller has checked that `stateId` is an active state of the service. `beforeCreate` runs just
   * before a new task is inserted; `known` is what a lookup just answered.
   */
  findOrStart(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    stateId: number | null,
    event: TaskStartEventDto,
    now: number,
    beforeCreate?: () => Promise<void>,
    known?: KnownId,
  ): Promise<FoundOrCreated> {
    return findOrCreate(
      () => this.repository.findActiveIdByType(manager, serviceId, stateId ?? 0, event.task_type),
      async () => {
        await beforeCreate?.();
        return this.repository.insert(manager, newTask(tenant, serviceId, stateId, event, now, 1));
      },
      known,
    );
  }

  /**
   * Composite start's first task in each of the given scopes (in services this transaction just created, so
   * none has a task yet), in one statement.
   */
  startAllNew(
    manager: EntityManager,
    tenant: TenantContext,
    tasks: { serviceId: number; stateId: number | null; event: TaskStartEventDto }[],
    now: number,
  ): Promise<number[]> {
    const rows = tasks.map(({ serviceId, stateId, event }) =>
      newTask(tenant, serviceId, stateId, event, now, 1),
    );
    return this.repository.insertMany(manager, rows);
  }

  /**
   * A plain start (API.md §4.3) in a service, and in the state `event.state_id` if given, that the caller has
   * checked are active.
   */
  start(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    event: TaskStartEventDto,
    now: number,
  ): Promise<number> {
    return this.repository.insert(
      manager,
      newTask(tenant, serviceId, event.state_id ?? null, event, now, null),
    );
  }

  /** The task, if it belongs to that service; else 404. */
  async get(manager: EntityManager, serviceId: number, id: number): Promise<TaskEntity> {
    const task = await this.repository.findOne(manager, { id, serviceId });
    if (!task) throw new NotFoundApiException(`task ${id} is not a task of service ${serviceId}`);
    return task;
  }

  async complete(
    manager: EntityManager,
    serviceId: number,
    id: number,
    event: EndEventDto,
    now: number,
  ): Promise<void> {
    await this.get(manager, serviceId, id);
    await completeWithEvent(this.repository, manager, 'task', id, event, now);
  }

  /** The cascade of a service's completion: all its still-active tasks complete with it. */
  async completeActiveOfService(
    manager: EntityManager,
    serviceId: number,
    columns: CompletionColumns,
  ): Promise<void> {
    await this.repository.completeActiveWhere(manager, 'service_id', serviceId, columns);
  }

  /** The cascade of a state's completion: its still-active tasks complete with it. */
  async completeActiveOfState(
    manager: EntityManager,
    stateId: number,
    columns: CompletionColumns,
  ): Promise<void> {
    await this.repository.completeActiveWhere(manager, 'state_id', stateId, columns);
  }

  async changeExtensions(
    manager: EntityManager,
    serviceId: number,
    id: number,
    change: (current: Extensions) => Extensions,
  ): Promise<void> {
    await this.get(manager, serviceId, id);
    await changeExtensions(this.repository, manager, 'task', id, change);
  }

  list(
    manager: EntityManager,
    serviceId: number,
    filter: TaskListFilter,
    page: Page,
  ): Promise<TaskEntity[]> {
    return this.repository.list(manager, serviceId, filter, page);
  }

  /** The tasks of several services, or of several states, at once (nested arrays in one query). */
  childrenOf(
    manager: EntityManager,
    parent: 'serviceId' | 'stateId',
    ids: number[],
    status: Status,
  ): Promise<TaskEntity[]> {
    return this.repository.findChildren(manager, parent, ids, status);
  }
}

function newTask(
  tenant: TenantContext,
  serviceId: number,
  stateId: number | null,
  event: TaskStartEventDto,
  now: number,
  activeMarker: 1 | null,
): NewTask {
  return {
    ...startColumns(event, tenant, now),
    serviceId,
    stateId,
    stateScope: stateId ?? 0,
    taskType: event.task_type,
    activeMarker,
  };
}
