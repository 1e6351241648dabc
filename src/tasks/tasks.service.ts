import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ChildLifecycle } from '../journey/child-lifecycle';
import { FindOrStartOptions, FoundOrCreated, findOrCreate } from '../journey/found-or-created';
import { JourneyScope, requireNotBefore } from '../journey/journey-scope';
import { Status } from '../journey/status';
import { CompletionColumns, eventTime, startColumns } from '../journey/tracked-object.columns';
import { pageOf, ReadQueryDto } from '../reads/dto/read-query.dto';
import { parseExtensionSelection } from '../reads/extension-selection';
import { TenantContext } from '../tenancy/tenant-context';
import { ExtensionsPolicy } from '../validation/extensions.policy';
import { TaskListQueryDto } from './dto/task-query.dto';
import { TaskResponseDto } from './dto/task-response.dto';
import { TaskStartEventDto } from './dto/task-start-event.dto';
import { TaskEntity } from './task.entity';
import { taskJson } from './task.representation';
import { NewTask, TasksRepository } from './tasks.repository';

/** Tasks (docs/API.md §4.3): the bottom of the journey; completion and extensions come from ChildLifecycle. */
@Injectable()
export class TasksService extends ChildLifecycle<TaskEntity> {
  constructor(
    protected override readonly repository: TasksRepository,
    scope: JourneyScope,
    extensions: ExtensionsPolicy,
  ) {
    super('task', repository, scope, extensions);
  }

  /**
   * Composite start's task step (docs/API.md §3.3): among the active tasks of `stateId` (or, with null, of
   * the service's tasks that belong to no state) the one of the event's type, else a new one in that scope.
   * `stateId` is the event's own state or one that `JourneyScope.requireStateToStart` accepted.
   */
  findOrStart(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    stateId: number | null,
    event: TaskStartEventDto,
    now: number,
    { known, beforeCreate }: FindOrStartOptions = {},
  ): Promise<FoundOrCreated> {
    return findOrCreate(
      () => this.repository.findActiveIdByType(manager, serviceId, stateId ?? 0, event.task_type),
      async () => {
        await beforeCreate?.();
        await this.scope.requireRoomFor(manager, 'tasks', serviceId);
        return this.repository.insert(manager, newTask(tenant, serviceId, stateId, event, now, 1));
      },
      known,
    );
  }

  /**
   * The row composite start inserts for the first task of `event` in a service (and state) it creates,
   * active, once their ids are known: `stateId` null for a task of the service itself.
   */
  compositeRow(
    tenant: TenantContext,
    event: TaskStartEventDto,
    now: number,
  ): (serviceId: number, stateId: number | null) => NewTask {
    return (serviceId, stateId) => newTask(tenant, serviceId, stateId, event, now, 1);
  }

  /**
   * A plain start (docs/API.md §4.3): always a new task, in an active service and, when `state_id` is given,
   * in an active state of it (404 / 409 otherwise).
   */
  async start(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    event: TaskStartEventDto,
    now: number,
  ): Promise<number> {
    const serviceStart = await this.scope.lockServiceToStart(manager, tenant, serviceId, now);
    requireNotBefore(eventTime(event, now), serviceStart, "the service's start");
    if (event.state_id !== undefined)
      await this.scope.requireStateToStart(manager, serviceId, event.state_id);
    await this.scope.requireRoomFor(manager, 'tasks', serviceId);
    return this.repository.insert(
      manager,
      newTask(tenant, serviceId, event.state_id ?? null, event, now, null),
    );
  }

  async get(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    id: number,
    query: ReadQueryDto,
  ): Promise<TaskResponseDto> {
    await this.scope.requireLiveService(manager, tenant, serviceId);
    const task = await this.findInService(manager, serviceId, id);
    return taskJson(task, parseExtensionSelection(query.extensions, 'task').task, true);
  }

  async list(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    status: Status,
    query: TaskListQueryDto,
  ): Promise<TaskResponseDto[]> {
    await this.scope.requireLiveService(manager, tenant, serviceId);
    const filter = { status, taskTypes: query.task_types, stateId: query.state_id };
    const selection = parseExtensionSelection(query.extensions, 'task');
    const tasks = await this.repository.list(manager, serviceId, filter, pageOf(query));
    return tasks.map((task) => taskJson(task, selection.task, true));
  }

  /** The cascade of a state's completion: its still-active tasks complete with it. */
  async completeActiveOfState(
    manager: EntityManager,
    stateId: number,
    columns: CompletionColumns,
  ): Promise<void> {
    await this.repository.completeActiveWhere(manager, 'state_id', stateId, columns);
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

  /** A task has no children of its own to complete. */
  protected cascade(): Promise<void> {
    return Promise.resolve();
  }
}

/** What a task's row holds of its event, whatever scope it goes into. */
function taskColumns(
  tenant: TenantContext,
  event: TaskStartEventDto,
  now: number,
): Omit<NewTask, 'serviceId' | 'stateId' | 'stateScope' | 'activeMarker'> {
  return { ...startColumns(event, tenant, now), taskType: event.task_type };
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
    ...taskColumns(tenant, event, now),
    serviceId,
    stateId,
    stateScope: stateId ?? 0,
    activeMarker,
  };
}
