import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
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
  async findActiveIdByKey(manager: EntityManager, key: ServiceKey): Promise<number | undefined> {
    const row = await manager
      .createQueryBuilder(ServiceEntity, 's')
      .select('s.id', 'id')
      .where('s.tenantId = :tenantId', key)
      .andWhere('s.customerId = :customerId', key)
      .andWhere('s.serviceType = :serviceType', key)
      .andWhere('s.contactKey = :contactKey', key)
      .andWhere('s.completedAt IS NULL')
      .orderBy('s.startedAt', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(1)
      .getRawOne<{ id: number }>();
    return row ? Number(row.id) : undefined;
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
