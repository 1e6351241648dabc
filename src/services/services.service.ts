import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FoundOrCreated, KnownId, findOrCreate } from '../common/found-or-created';
import { changeExtensions, completeWithEvent } from '../common/lifecycle';
import { EndEventDto } from '../common/dto/end-event.dto';
import {
  CompletionColumns,
  completionColumns,
  startColumns,
} from '../common/tracked-object.mapper';
import { Page } from '../common/tracked-objects.repository';
import { isDuplicateKeyError } from '../database/database-errors';
import {
  ConflictApiException,
  NotFoundApiException,
  ValidationException,
} from '../errors/api-exceptions';
import { TenantContext } from '../tenancy/tenant-context';
import { Extensions, extensionsOf } from '../validation/extensions';
import { parseIsoTimestamp } from '../validation/field.decorators';
import { AssociateServiceDto } from './dto/associate-service.dto';
import { ServiceEndEventDto } from './dto/service-end-event.dto';
import { ServiceExpirationDto } from './dto/service-expiration.dto';
import { ServiceStartEventDto } from './dto/service-start-event.dto';
import { ServiceEntity } from './service.entity';
import {
  ExportFilter,
  NewService,
  PurgeScope,
  ServiceKey,
  ServiceListFilter,
  ServiceOwner,
  ServicesRepository,
} from './services.repository';

@Injectable()
export class ServicesService {
  constructor(private readonly repository: ServicesRepository) {}

  /**
   * Composite start's service step (API.md §3.1): the active service with exactly the event's key, else a
   * new one made from the event. A found service is not modified. `known` is what a lookup just answered.
   */
  findOrStart(
    manager: EntityManager,
    tenant: TenantContext,
    event: ServiceStartEventDto,
    now: number,
    known?: KnownId,
  ): Promise<FoundOrCreated> {
    const key = keyOf(tenant, event);
    return findOrCreate(
      () => this.repository.findActiveIdByKey(manager, key),
      () => this.repository.insert(manager, { ...newService(tenant, event, now), activeMarker: 1 }),
      known,
      () => this.repository.releaseExpiredKey(manager, key),
    );
  }

  /**
   * Composite start's services for keys that have no active service yet, in one statement (where
   * `insertsReturnIds`). A duplicate-key error means a concurrent request created one of them meanwhile; the
   * statement then stored nothing.
   */
  startAllNew(
    manager: EntityManager,
    tenant: TenantContext,
    events: ServiceStartEventDto[],
    now: number,
  ): Promise<number[]> {
    const rows = events.map((event) => ({ ...newService(tenant, event, now), activeMarker: 1 }));
    return this.repository.insertMany(manager, rows);
  }

  /** A plain start (API.md §4.1): always a new service, even when an active one has the same key. */
  start(
    manager: EntityManager,
    tenant: TenantContext,
    event: ServiceStartEventDto,
    now: number,
  ): Promise<number> {
    return this.repository.insert(manager, newService(tenant, event, now));
  }

  /** The service, if it exists in this tenant; else 404. */
  async get(manager: EntityManager, tenant: TenantContext, id: number): Promise<ServiceEntity> {
    const service = await this.repository.findLive(manager, tenant.tenantId, id);
    if (!service) throw new NotFoundApiException(`service ${id} not found`);
    return service;
  }

  /**
   * Before something starts or changes inside the service: 404 if it does not exist in this tenant, 409 if
   * it is completed. Locks the service row until the transaction ends, so a concurrent completion cannot
   * slip in between this check and the write.
   */
  async requireActive(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    now: number,
  ): Promise<void> {
    await this.get(manager, tenant, id);
    if (!(await this.repository.touchActive(manager, id, now))) {
      throw new ConflictApiException(`service ${id} is completed; nothing can start or end in it`);
    }
  }

  /** Records activity in the service and locks its row; false when it is no longer active. */
  touch(manager: EntityManager, id: number, now: number): Promise<boolean> {
    return this.repository.touchActive(manager, id, now);
  }

  /**
   * Completes the service (API.md §6.1); the caller cascades the returned completion to its states and
   * tasks. The end event may also set its expiration.
   */
  async complete(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    event: ServiceEndEventDto,
    now: number,
  ): Promise<CompletionColumns> {
    await this.get(manager, tenant, id);
    const completion = await completeWithEvent(this.repository, manager, 'service', id, event, now);
    await this.repository.updateColumns(manager, id, {
      lastActivityAt: now,
      ...expirationOf(event, now),
    });
    return completion;
  }

  /** Deletes the service; its states, tasks and extensions go with it (foreign keys cascade). */
  async remove(manager: EntityManager, tenant: TenantContext, id: number): Promise<void> {
    await this.get(manager, tenant, id);
    await this.repository.deleteMany(manager, [id]);
  }

  /**
   * Moves the service to a customer (it stops being anonymous; `contact_key` is kept) and applies the
   * optional updates. Returns the updated service.
   */
  async associate(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    customerId: string,
    update: AssociateServiceDto,
    now: number,
  ): Promise<ServiceEntity> {
    const service = await this.get(manager, tenant, id);
    const values: Partial<ServiceEntity> = {
      customerId,
      lastActivityAt: now,
      ...(update.service_type !== undefined && { serviceType: update.service_type }),
      ...(update.contact_key !== undefined && { contactKey: update.contact_key }),
      ...(update.est_duration !== undefined && { estDuration: update.est_duration }),
      ...(update.auto_complete_after !== undefined && {
        autoCompleteAfter: update.auto_complete_after,
      }),
      ...expirationOf(update, now),
    };
    try {
      await this.repository.updateColumns(manager, id, values);
    } catch (error) {
      // Another active composite-started service already holds the new key: this one stays active and
      // findable, but gives up its claim to the key's uniqueness.
      if (!isDuplicateKeyError(error) || service.activeMarker === null) throw error;
      await this.repository.updateColumns(manager, id, { ...values, activeMarker: null });
    }
    const extensions = extensionsOf(update);
    if (Object.keys(extensions).length > 0) {
      await this.changeExtensions(
        manager,
        tenant,
        id,
        (current) => ({ ...current, ...extensions }),
        now,
      );
    }
    // Read back regardless of expiry: the body may have expired the service just now, and the association
    // still happened (later reads will answer 404).
    return (await this.repository.findOne(manager, { id }))!;
  }

  /** `PUT /services/{id}`: when the service expires (`ttl` wins over `expiration_time`). */
  async setExpiration(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    body: ServiceExpirationDto,
    now: number,
  ): Promise<void> {
    const expiration = expirationOf(body, now);
    if (!('expiresAt' in expiration))
      throw ValidationException.of('body', 'must give ttl or expiration_time');
    await this.get(manager, tenant, id);
    await this.repository.updateColumns(manager, id, { ...expiration, lastActivityAt: now });
  }

  async changeExtensions(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    change: (current: Extensions) => Extensions,
    now: number,
  ): Promise<void> {
    await this.get(manager, tenant, id);
    await changeExtensions(this.repository, manager, 'service', id, change);
    await this.repository.updateColumns(manager, id, { lastActivityAt: now });
  }

  /**
   * Completes a service the sweeper found inactive for too long (API.md §6.4). Undefined when it is no
   * longer due (another instance completed it first, or it saw activity since): a service is completed
   * once, whoever sweeps.
   */
  async autoComplete(
    manager: EntityManager,
    id: number,
    now: number,
  ): Promise<CompletionColumns | undefined> {
    if (!(await this.repository.lockIfAutoCompleteDue(manager, id, now))) return undefined;
    const columns = completionColumns(new EndEventDto(), now);
    await this.repository.complete(manager, id, columns);
    await this.repository.updateColumns(manager, id, { lastActivityAt: now });
    return columns;
  }

  autoCompleteDueIds(manager: EntityManager, now: number, limit: number): Promise<number[]> {
    return this.repository.autoCompleteDueIds(manager, now, limit);
  }

  /** Deletes one batch of expired services (with everything in them); how many were deleted. */
  async deleteExpired(manager: EntityManager, now: number, limit: number): Promise<number> {
    return this.repository.deleteMany(
      manager,
      await this.repository.expiredIds(manager, now, limit),
    );
  }

  /** Deletes one batch of the tenant's services a purge selects; how many were deleted. */
  async purge(
    manager: EntityManager,
    tenant: TenantContext,
    scope: PurgeScope,
    before: number,
    limit: number,
  ): Promise<number> {
    const ids = await this.repository.purgeableIds(manager, tenant.tenantId, scope, before, limit);
    return this.repository.deleteMany(manager, ids);
  }

  exportPage(
    manager: EntityManager,
    tenant: TenantContext,
    filter: ExportFilter,
    after: number,
    limit: number,
  ): Promise<ServiceEntity[]> {
    return this.repository.exportPage(manager, tenant.tenantId, filter, after, limit);
  }

  list(
    manager: EntityManager,
    tenant: TenantContext,
    owner: ServiceOwner,
    filter: ServiceListFilter,
    page: Page,
  ): Promise<ServiceEntity[]> {
    return this.repository.list(manager, tenant.tenantId, owner, filter, page);
  }
}

function keyOf(tenant: TenantContext, event: ServiceStartEventDto): ServiceKey {
  return {
    tenantId: tenant.tenantId,
    customerId: event.customer_id ?? '',
    serviceType: event.service_type ?? '',
    contactKey: event.contact_key ?? '',
  };
}

/** The expiration a body sets, if it sets one: `ttl` seconds from now wins over `expiration_time`. */
function expirationOf(
  body: { ttl?: number; expiration_time?: string },
  now: number,
): { expiresAt?: number } {
  if (body.ttl !== undefined) return { expiresAt: now + body.ttl * 1000 };
  const at =
    body.expiration_time === undefined ? undefined : parseIsoTimestamp(body.expiration_time);
  return at === undefined ? {} : { expiresAt: at };
}

function newService(tenant: TenantContext, event: ServiceStartEventDto, now: number): NewService {
  const { tenantId, customerId, serviceType, contactKey } = keyOf(tenant, event);
  return {
    ...startColumns(event, tenant, now),
    tenantId,
    customerId,
    serviceType,
    contactKey,
    activeMarker: null,
    expiresAt: expirationOf(event, now).expiresAt ?? null,
    autoCompleteAfter: event.auto_complete_after ?? null,
    lastActivityAt: now,
  };
}
