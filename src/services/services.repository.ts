import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { findLatestActiveId } from '../common/latest-active-id';
import { insertReturningId } from '../database/insert-returning-id';
import { ServiceEntity } from './service.entity';

/** The match key of composite start; absent parts are ''. */
export interface ServiceKey {
  tenantId: string;
  customerId: string;
  serviceType: string;
  contactKey: string;
}

export type NewService = Omit<
  ServiceEntity,
  'id' | 'completedAt' | 'completed' | 'disposition' | 'dispositionDesc'
>;

@Injectable()
export class ServicesRepository {
  /** The most recently started active service with exactly this key, if any. */
  findActiveIdByKey(manager: EntityManager, key: ServiceKey): Promise<number | undefined> {
    return findLatestActiveId(manager, ServiceEntity, { ...key });
  }

  insert(manager: EntityManager, service: NewService): Promise<number> {
    return insertReturningId(manager, ServiceEntity, service);
  }

  /** Records activity in the service (a state or task started in it) for expiry and auto-complete. */
  async touch(manager: EntityManager, id: number, at: number): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(ServiceEntity)
      .set({
        lastActivityAt: () => `CASE WHEN last_activity_at < :at THEN :at ELSE last_activity_at END`,
      })
      .setParameter('at', at)
      .where('id = :id', { id })
      .execute();
  }
}
