import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EndEventDto } from '../journey/dto/journey-event.dto';
import { FoundOrCreated, KnownId, findOrCreate } from '../journey/found-or-created';
import { requireNotBefore, serviceNotFound } from '../journey/journey-scope';
import { changeExtensions, completeWithEvent } from '../journey/lifecycle';
import {
  CompletionColumns,
  cascadedCompletion,
  completionColumns,
  eventTime,
  givenStartColumns,
  startColumns,
} from '../journey/tracked-object.columns';
import { isDuplicateKeyError } from '../database/database-errors';
import { ValidationException } from '../errors/api-exceptions';
import { parseExtensionSelection } from '../reads/extension-selection';
import { StatesService } from '../states/states.service';
import { TasksService } from '../tasks/tasks.service';
import { TenantContext } from '../tenancy/tenant-context';
import { extensionsOf } from '../validation/extensions';
import { ExtensionChange, ExtensionsPolicy } from '../validation/extensions.policy';
import { parseIsoTimestamp } from '../validation/iso-timestamp';
import { AssociateServiceDto } from './dto/associate-service.dto';
import { ServiceEndEventDto } from './dto/service-end-event.dto';
import { ServiceExpirationDto } from './dto/service-expiration.dto';
import { ServiceResponseDto } from './dto/service-response.dto';
import { ServiceStartEventDto } from './dto/service-start-event.dto';
import { ServiceEntity } from './service.entity';
import { serviceJson } from './service.representation';
import { NewService, ServiceKey, ServicesRepository } from './services.repository';

/**
 * Services (docs/API.md §4.1): the top of the journey. Completing one, by request or by the sweeper,
 * completes its active tasks and states with it (§6.1, §6.4): the cascade is written once, in `cascade`.
 */
@Injectable()
export class ServicesService {
  constructor(
    private readonly repository: ServicesRepository,
    private readonly states: StatesService,
    private readonly tasks: TasksService,
    private readonly extensions: ExtensionsPolicy,
  ) {}

  /**
   * Composite start's service step (docs/API.md §3.1): the active service with exactly the event's key, else
   * a new one made from the event. A found service is not modified. `known` is what a lookup just answered.
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
      () => this.repository.insert(manager, this.compositeRow(tenant, event, now)),
      known,
      () => this.repository.releaseExpiredKey(manager, key),
    );
  }

  /**
   * The row composite start inserts for a new service of `event`, active (its key held by the unique index):
   * the same row `findOrStart` inserts, whichever way the composite repository writes it.
   */
  compositeRow(tenant: TenantContext, event: ServiceStartEventDto, now: number): NewService {
    return { ...newService(tenant, event, now), activeMarker: 1 };
  }

  /** A plain start (docs/API.md §4.1): always a new service, even when an active one has the same key. */
  start(
    manager: EntityManager,
    tenant: TenantContext,
    event: ServiceStartEventDto,
    now: number,
  ): Promise<number> {
    return this.repository.insert(manager, newService(tenant, event, now));
  }

  /** The service, if it exists in this tenant and has not expired; else 404. */
  async getLive(manager: EntityManager, tenant: TenantContext, id: number): Promise<ServiceEntity> {
    const service = await this.repository.findLive(manager, tenant.tenantId, id);
    if (!service) throw serviceNotFound(id);
    return service;
  }

  /** `POST /services/{id}/end`: completes the service with its active tasks and states (409 if done). */
  async complete(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    event: ServiceEndEventDto,
    now: number,
  ): Promise<void> {
    const service = await this.getLive(manager, tenant, id);
    requireNotBefore(eventTime(event, now), service.startedAt, "the service's start");
    const completion = await completeWithEvent(
      this.repository,
      this.extensions,
      manager,
      'service',
      id,
      event,
      now,
    );
    await this.repository.updateColumns(manager, id, {
      lastActivityAt: now,
      ...expirationOf(event, now),
    });
    await this.cascade(manager, id, completion);
  }

  /**
   * Completes a service the sweeper found inactive for too long (docs/API.md §6.4). False when it is no
   * longer due (another instance completed it first, or it saw activity since): a service is completed
   * once, whoever sweeps.
   */
  async autoComplete(manager: EntityManager, id: number, now: number): Promise<boolean> {
    if (!(await this.repository.lockIfAutoCompleteDue(manager, id, now))) return false;
    const completion = completionColumns(new EndEventDto(), now);
    await this.repository.complete(manager, id, completion);
    await this.repository.updateColumns(manager, id, { lastActivityAt: now });
    await this.cascade(manager, id, completion);
    return true;
  }

  /** Deletes the service; its states, tasks and extensions go with it (foreign keys cascade). */
  async remove(manager: EntityManager, tenant: TenantContext, id: number): Promise<void> {
    await this.getLive(manager, tenant, id);
    await this.repository.deleteMany(manager, [id]);
  }

  /**
   * Moves the service to a customer (it stops being anonymous; `contact_key` is kept) and applies the
   * optional updates. Answers the updated service with all its extensions.
   */
  async associate(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    customerId: string,
    update: AssociateServiceDto,
    now: number,
  ): Promise<ServiceResponseDto> {
    if (update.customer_id !== undefined && update.customer_id !== customerId) {
      throw ValidationException.of(
        'customer_id',
        `must be left out or be the customer_id of the path ("${customerId}")`,
      );
    }
    const service = await this.getLive(manager, tenant, id);
    const values: Partial<ServiceEntity> = {
      ...givenStartColumns(update),
      customerId,
      lastActivityAt: now,
      ...(update.service_type !== undefined && { serviceType: update.service_type }),
      ...(update.contact_key !== undefined && { contactKey: update.contact_key }),
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
      await changeExtensions(this.repository, manager, 'service', id, (current) =>
        this.extensions.replaceAll(current, extensions),
      );
    }
    // Read back regardless of expiry: the body may have expired the service just now, and the association
    // still happened (later reads will answer 404).
    const updated = (await this.repository.findOne(manager, { id }))!;
    return serviceJson(updated, parseExtensionSelection('*', 'service'));
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
    await this.getLive(manager, tenant, id);
    await this.repository.updateColumns(manager, id, { ...expiration, lastActivityAt: now });
  }

  /** `PUT /services/{id}/extensions/{name}` and `…/merge`. */
  async changeExtension(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    change: ExtensionChange,
    now: number,
  ): Promise<void> {
    await this.getLive(manager, tenant, id);
    await changeExtensions(this.repository, manager, 'service', id, (current) =>
      this.extensions.apply(current, change),
    );
    await this.repository.updateColumns(manager, id, { lastActivityAt: now });
  }

  /** A service's completion reaches its still-active tasks, then its states: same moment, no disposition. */
  private async cascade(
    manager: EntityManager,
    id: number,
    completion: CompletionColumns,
  ): Promise<void> {
    const columns = cascadedCompletion(completion);
    await this.tasks.completeActiveOfService(manager, id, columns);
    await this.states.completeActiveOfService(manager, id, columns);
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
