import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
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
  async findActiveIdByType(
    manager: EntityManager,
    serviceId: number,
    stateScope: number,
    taskType: string,
  ): Promise<number | undefined> {
    const row = await manager
      .createQueryBuilder(TaskEntity, 't')
      .select('t.id', 'id')
      .where('t.serviceId = :serviceId', { serviceId })
      .andWhere('t.stateScope = :stateScope', { stateScope })
      .andWhere('t.taskType = :taskType', { taskType })
      .andWhere('t.completedAt IS NULL')
      .orderBy('t.startedAt', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .limit(1)
      .getRawOne<{ id: number }>();
    return row ? Number(row.id) : undefined;
  }

  insert(manager: EntityManager, task: NewTask): Promise<number> {
    return insertReturningId(manager, TaskEntity, task);
  }
}
