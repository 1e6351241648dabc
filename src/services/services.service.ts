import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FoundOrCreated, KnownId, findOrCreate } from '../common/found-or-created';
import { startColumns } from '../common/tracked-object.mapper';
import { TenantContext } from '../tenancy/tenant-context';
import { parseIsoTimestamp } from '../validation/field.decorators';
import { ServiceStartEventDto } from './dto/service-start-event.dto';
import { NewService, ServiceKey, ServicesRepository } from './services.repository';

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
    );
  }

  /** Notes that something in the service started or changed now (drives expiry and auto-complete). */
  touch(manager: EntityManager, serviceId: number, now: number): Promise<void> {
    return this.repository.touch(manager, serviceId, now);
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

function expiresAt(event: ServiceStartEventDto, now: number): number | null {
  if (event.ttl !== undefined) return now + event.ttl * 1000;
  return event.expiration_time === undefined
    ? null
    : (parseIsoTimestamp(event.expiration_time) ?? null);
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
    expiresAt: expiresAt(event, now),
    autoCompleteAfter: event.auto_complete_after ?? null,
    lastActivityAt: now,
  };
}
