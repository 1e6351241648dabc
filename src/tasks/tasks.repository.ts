import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { findLatestActiveId } from '../common/latest-active-id';
import { insertReturningId } from '../database/insert-returning-id';
import { TaskEntity } from './task.entity';

export type NewTask = Omit<
  TaskEntity,
  'id' | 'completedAt' | 'completed' | 'disposition' | 'dispositionDesc'
>;

@Injectable()
export class TasksRepository {
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
}
