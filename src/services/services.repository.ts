import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { findLatestActiveId } from '../journey/latest-active-id';
import { exactlyRead, TrackedObjectsRepository } from '../journey/tracked-objects.repository';
import { Page, Status } from '../journey/status';
import { insertReturningId } from '../database/insert-returning-id';
import { forUpdate } from '../database/lock';
import { ServiceEntity } from './service.entity';
import {
  ExpiryBounds,
  expiredServiceSql,
  expiryBounds,
  liveServiceSql,
  named,
  positional,
} from '../journey/service-expiry';
import { activeSql, completedSql } from '../journey/activity-sql';

/** The match key of composite start; absent parts are ''. */
export interface ServiceKey {
  tenantId: string;
  customerId: string;
  serviceType: string;
  contactKey: string;
}

export type NewService = Omit<ServiceEntity, 'id' | 'completedAt' | 'completed'>;

/** Whose services a list shows: a customer's, the anonymous ones of a contact key, or the whole tenant's. */
export type ServiceOwner =
  { customerId: string } | { anonymousContactKey: string } | { wholeTenant: true };

export interface ServiceListFilter {
  status: Status;
  serviceTypes?: string[];
  startedFrom?: number;
  startedTo?: number;
}

/** The kinds of services `POST /maintenance/purge` deletes (docs/API.md §6.5). */
export type PurgeScope =
  'all' | 'started' | 'started.anonymous' | 'completed' | 'completed.anonymous';

export interface ExportFilter {
  from: number;
  to?: number;
  events: 'any' | 'started' | 'completed';
  state: 'any' | 'active' | 'inactive';
}

/**
 * Services. Expiry is decided in SQL (docs/API.md §6.3): a service whose `expires_at` has passed, or that has none
 * and was last active longer ago than DEFAULT_EXPIRATION, is gone for every read at once, whether or not the
 * sweeper has deleted it yet.
 */
@Injectable()
export class ServicesRepository extends TrackedObjectsRepository<ServiceEntity> {
  private readonly defaultExpirationMs: number | undefined;
  private readonly autoCompleteAfterMs: number | undefined;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    super(ServiceEntity);
    this.defaultExpirationMs = config.defaultExpirationMs;
    this.autoCompleteAfterMs = config.autoCompleteAfterMs;
  }

  /** The most recently started active, unexpired service with exactly this key, if any. */
  findActiveIdByKey(manager: EntityManager, key: ServiceKey): Promise<number | undefined> {
    const parameters: number[] = [];
    const live = liveServiceSql('services', this.bounds(Date.now()), positional(parameters));
    return findLatestActiveId(manager, ServiceEntity, { ...key }, { sql: live, parameters });
  }

  /** The service, if it exists in that tenant and has not expired. */
  async findLive(
    manager: EntityManager,
    tenantId: string,
    id: number,
  ): Promise<ServiceEntity | null> {
    const query = manager
      .createQueryBuilder(ServiceEntity, 'o')
      .where('o.id = :id AND o.tenantId = :tenantId', { id, tenantId });
    const [found] = await exactlyRead(this.live(query, Date.now()));
    return found ?? null;
  }

  /**
   * Frees the composite key held by expired services not yet swept, so that composite start can create a
   * new service with that key.
   */
  async releaseExpiredKey(manager: EntityManager, key: ServiceKey): Promise<void> {
    const ids = await this.expired(
      manager
        .createQueryBuilder(ServiceEntity, 'o')
        .select('o.id', 'id')
        .where('o.tenantId = :tenantId AND o.customerId = :customerId', key)
        .andWhere('o.serviceType = :serviceType AND o.contactKey = :contactKey', key)
        .andWhere('o.activeMarker = 1'),
      Date.now(),
    ).getRawMany<{ id: number }>();
    if (ids.length > 0) {
      await this.update(manager, { activeMarker: null }, 'id IN (:...ids)', {
        ids: ids.map((r) => r.id),
      });
    }
  }

  /** Up to `limit` ids of expired services, oldest first. */
  async expiredIds(manager: EntityManager, now: number, limit: number): Promise<number[]> {
    const query = manager.createQueryBuilder(ServiceEntity, 'o').select('o.id', 'id');
    return idsOf(
      await this.expired(query, now).orderBy('o.id').limit(limit).getRawMany<{ id: number }>(),
    );
  }

  /**
   * Up to `limit` ids of active services inactive for longer than their `auto_complete_after` (or the
   * configured default).
   */
  async autoCompleteDueIds(manager: EntityManager, now: number, limit: number): Promise<number[]> {
    const rows = await this.autoCompleteDue(manager, now)
      .orderBy('o.id')
      .limit(limit)
      .getRawMany<{ id: number }>();
    return idsOf(rows);
  }

  /**
   * Whether the service is still due for auto-completion, locking its row until the transaction ends: a
   * request that records activity in it meanwhile either came first (and the service is no longer due) or
   * waits, then finds it completed.
   */
  async lockIfAutoCompleteDue(manager: EntityManager, id: number, now: number): Promise<boolean> {
    const query = this.autoCompleteDue(manager, now).andWhere('o.id = :id', { id });
    return (await forUpdate(query).getRawOne()) !== undefined;
  }

  /** Up to `limit` ids of the tenant's services started before `before` that a purge of `scope` deletes. */
  async purgeableIds(
    manager: EntityManager,
    tenantId: string,
    scope: PurgeScope,
    before: number,
    limit: number,
  ): Promise<number[]> {
    const query = manager
      .createQueryBuilder(ServiceEntity, 'o')
      .select('o.id', 'id')
      .where('o.tenantId = :tenantId AND o.startedAt < :before', { tenantId, before });
    if (scope.startsWith('started')) query.andWhere(activeSql('o'));
    if (scope.startsWith('completed')) query.andWhere(completedSql('o'));
    if (scope.endsWith('.anonymous')) query.andWhere("o.customerId = ''");
    return idsOf(await query.orderBy('o.id').limit(limit).getRawMany<{ id: number }>());
  }

  /**
   * One page of the tenant's live services with an event (of that kind) in the time range, after the id
   * `after` in id order: keyset paging, so exporting any number of services keeps memory flat.
   */
  exportPage(
    manager: EntityManager,
    tenantId: string,
    filter: ExportFilter,
    after: number,
    limit: number,
  ): Promise<ServiceEntity[]> {
    const to = filter.to ?? Number.MAX_SAFE_INTEGER;
    const query = manager
      .createQueryBuilder(ServiceEntity, 'o')
      .where('o.tenantId = :tenantId AND o.id > :after', { tenantId, after });
    const started = 'o.startedAt >= :from AND o.startedAt < :to';
    const completed = 'o.completedAt >= :from AND o.completedAt < :to';
    const events = { any: `((${started}) OR (${completed}))`, started, completed }[filter.events];
    query.andWhere(events, { from: filter.from, to });
    if (filter.state === 'active') query.andWhere(activeSql('o'));
    if (filter.state === 'inactive') query.andWhere(completedSql('o'));
    return exactlyRead(this.live(query, Date.now()).orderBy('o.id').limit(limit));
  }

  async deleteMany(manager: EntityManager, ids: number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(ServiceEntity)
      .where('id IN (:...ids)', { ids })
      .execute();
    return result.affected ?? ids.length;
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
      `id = :id AND ${activeSql()}`,
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
    else if ('anonymousContactKey' in owner)
      query.andWhere("o.customerId = '' AND o.contactKey = :contactKey", {
        contactKey: owner.anonymousContactKey,
      });
    if (filter.serviceTypes)
      query.andWhere('o.serviceType IN (:...types)', { types: filter.serviceTypes });
    if (filter.startedFrom !== undefined)
      query.andWhere('o.startedAt >= :from', { from: filter.startedFrom });
    if (filter.startedTo !== undefined)
      query.andWhere('o.startedAt < :to', { to: filter.startedTo });
    return this.paged(this.live(this.withStatus(query, filter.status), Date.now()), page);
  }

  private autoCompleteDue(manager: EntityManager, now: number): SelectQueryBuilder<ServiceEntity> {
    const query = manager
      .createQueryBuilder(ServiceEntity, 'o')
      .select('o.id', 'id')
      .where(activeSql('o'));
    const own =
      'o.autoCompleteAfter IS NOT NULL AND o.lastActivityAt + o.autoCompleteAfter * 1000 <= :now';
    if (this.autoCompleteAfterMs === undefined) return query.andWhere(`(${own})`, { now });
    return query.andWhere(
      `((${own}) OR (o.autoCompleteAfter IS NULL AND o.lastActivityAt <= :idleSince))`,
      {
        now,
        idleSince: now - this.autoCompleteAfterMs,
      },
    );
  }

  /** Keeps the services that have not expired at `now`. */
  private live(
    query: SelectQueryBuilder<ServiceEntity>,
    now: number,
  ): SelectQueryBuilder<ServiceEntity> {
    const parameters: Record<string, number> = {};
    return query.andWhere(liveServiceSql('o', this.bounds(now), named(parameters)), parameters);
  }

  private expired(
    query: SelectQueryBuilder<ServiceEntity>,
    now: number,
  ): SelectQueryBuilder<ServiceEntity> {
    const parameters: Record<string, number> = {};
    return query.andWhere(expiredServiceSql('o', this.bounds(now), named(parameters)), parameters);
  }

  private bounds(now: number): ExpiryBounds {
    return expiryBounds(now, this.defaultExpirationMs);
  }
}

function idsOf(rows: { id: number }[]): number[] {
  return rows.map((row) => Number(row.id));
}
