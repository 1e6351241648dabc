import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { findLatestActiveId } from '../common/latest-active-id';
import { insertReturningId } from '../database/insert-returning-id';
import { StateEntity } from './state.entity';

export type NewState = Omit<
  StateEntity,
  'id' | 'completedAt' | 'completed' | 'disposition' | 'dispositionDesc'
>;

@Injectable()
export class StatesRepository {
  /** The most recently started active state of this type in the service, if any. */
  findActiveIdByType(
    manager: EntityManager,
    serviceId: number,
    stateType: string,
  ): Promise<number | undefined> {
    return findLatestActiveId(manager, StateEntity, { serviceId, stateType });
  }

  /** Whether the state exists in that service, and if so whether it is still active. */
  async statusInService(
    manager: EntityManager,
    serviceId: number,
    stateId: number,
  ): Promise<'active' | 'completed' | undefined> {
    const row = await manager
      .createQueryBuilder(StateEntity, 'st')
      .select('st.completedAt', 'completedAt')
      .where('st.id = :stateId AND st.serviceId = :serviceId', { stateId, serviceId })
      .getRawOne<{ completedAt: number | null }>();
    if (!row) return undefined;
    return row.completedAt === null ? 'active' : 'completed';
  }

  insert(manager: EntityManager, state: NewState): Promise<number> {
    return insertReturningId(manager, StateEntity, state);
  }
}
