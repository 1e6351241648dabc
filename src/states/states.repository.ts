import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { findLatestActiveId } from '../journey/latest-active-id';
import { TrackedObjectsRepository } from '../journey/tracked-objects.repository';
import { Page, Status } from '../journey/status';
import { insertReturningId } from '../database/insert-returning-id';
import { StateEntity } from './state.entity';

export type NewState = Omit<StateEntity, 'id' | 'completedAt' | 'completed'>;

@Injectable()
export class StatesRepository extends TrackedObjectsRepository<StateEntity> {
  constructor() {
    super(StateEntity);
  }

  /** The most recently started active state of this type in the service, if any. */
  findActiveIdByType(
    manager: EntityManager,
    serviceId: number,
    stateType: string,
  ): Promise<number | undefined> {
    return findLatestActiveId(manager, StateEntity, { serviceId, stateType });
  }

  insert(manager: EntityManager, state: NewState): Promise<number> {
    return insertReturningId(manager, StateEntity, state);
  }

  list(
    manager: EntityManager,
    serviceId: number,
    status: Status,
    stateTypes: string[] | undefined,
    page: Page,
  ): Promise<StateEntity[]> {
    const query = manager
      .createQueryBuilder(StateEntity, 'o')
      .where('o.serviceId = :serviceId', { serviceId });
    if (stateTypes) query.andWhere('o.stateType IN (:...stateTypes)', { stateTypes });
    return this.paged(this.withStatus(query, status), page);
  }
}
