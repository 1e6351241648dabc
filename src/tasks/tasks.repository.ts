import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { findLatestActiveId } from '../journey/latest-active-id';
import { TrackedObjectsRepository } from '../journey/tracked-objects.repository';
import { Page, Status } from '../journey/status';
import { insertReturningId } from '../database/insert-returning-id';
import { TaskEntity } from './task.entity';

export type NewTask = Omit<TaskEntity, 'id' | 'completedAt' | 'completed'>;

export interface TaskListFilter {
  status: Status;
  taskTypes?: string[];
  stateId?: number;
}

@Injectable()
export class TasksRepository extends TrackedObjectsRepository<TaskEntity> {
  constructor() {
    super(TaskEntity);
  }

  /**
   * The most recently started active task of this type in the scope: the state `stateScope`, or with 0 the
   * tasks of the service that belong to no state.
   */
  findActiveIdByType(
    manager: EntityManager,
    serviceId: number,
    stateScope: number,
    taskType: string,
  ): Promise<number | undefined> {
    return findLatestActiveId(manager, TaskEntity, { serviceId, stateScope, taskType });
  }

  insert(manager: EntityManager, task: NewTask): Promise<number> {
    return insertReturningId(manager, TaskEntity, task);
  }

  list(
    manager: EntityManager,
    serviceId: number,
    filter: TaskListFilter,
    page: Page,
  ): Promise<TaskEntity[]> {
    const query = manager
      .createQueryBuilder(TaskEntity, 'o')
      .where('o.serviceId = :serviceId', { serviceId });
    if (filter.taskTypes)
      query.andWhere('o.taskType IN (:...taskTypes)', { taskTypes: filter.taskTypes });
    if (filter.stateId !== undefined)
      query.andWhere('o.stateId = :stateId', { stateId: filter.stateId });
    return this.paged(this.withStatus(query, filter.status), page);
  }
}
