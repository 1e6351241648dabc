import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { findLatestActiveId } from '../common/latest-active-id';
import { Page, Status, TrackedObjectsRepository } from '../common/tracked-objects.repository';
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

/** Whose services a list shows: a customer's, or the anonymous ones of a contact key. */
export type ServiceOwner = { customerId: string } | { anonymousContactKey: string };

export interface ServiceListFilter {
  status: Status;
  serviceTypes?: string[];
  startedFrom?: number;
  startedTo?: number;
}

@Injectable()
export class ServicesRepository extends TrackedObjectsRepository<ServiceEntity> {
  constructor() {
    super(ServiceEntity);
  }

  /** The most recently started active service with exactly this key, if any. */
  findActiveIdByKey(manager: EntityManager, key: ServiceKey): Promise<number | undefined> {
    return findLatestActiveId(manager, ServiceEntity, { ...key });
  }

  insert(manager: EntityManager, service: NewService): Promise<number> {
    return insertReturningId(manager, ServiceEntity, service);
  }

  /**
   * Records activity in an active service (something started, changed or completed in it) and takes its row
   * lock until the transaction ends, so a concurrent completion of the service waits for this transaction
   * (or this one for it). False when the service is not active.
   */
  async touchActive(manager: EntityManager, id: number, at: number): Promise<boolean> {
    const affected = await this.update(
      manager,
      { lastActivityAt: at } as Partial<ServiceEntity>,
      'id = :id AND completed_at IS NULL',
      { id },
    );
    return affected > 0;
  }

  async updateColumns(
    manager: EntityManager,
    id: number,
    values: Partial<ServiceEntity>,
  ): Promise<void> {
    await this.update(manager, values, 'id = :id', { id });
  }

  async delete(manager: EntityManager, id: number): Promise<void> {
    await manager
      .createQueryBuilder()
      .delete()
      .from(ServiceEntity)
      .where('id = :id', { id })
      .execute();
  }

  list(
    manager: EntityManager,
    tenantId: string,
    owner: ServiceOwner,
    filter: ServiceListFilter,
    page: Page,
  ): Promise<ServiceEntity[]> {
    const query = manager
      .createQueryBuilder(ServiceEntity, 'o')
      .where('o.tenantId = :tenantId', { tenantId });
    if ('customerId' in owner) query.andWhere('o.customerId = :customerId', owner);
    else
      query.andWhere("o.customerId = '' AND o.contactKey = :contactKey", {
        contactKey: owner.anonymousContactKey,
      });
    if (filter.serviceTypes)
      query.andWhere('o.serviceType IN (:...types)', { types: filter.serviceTypes });
    if (filter.startedFrom !== undefined)
      query.andWhere('o.startedAt >= :from', { from: filter.startedFrom });
    if (filter.startedTo !== undefined)
      query.andWhere('o.startedAt < :to', { to: filter.startedTo });
    return this.paged(this.withStatus(query, filter.status), page);
  }
}
