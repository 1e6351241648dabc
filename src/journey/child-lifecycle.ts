import { EntityManager, FindOptionsWhere } from 'typeorm';
import { TenantContext } from '../tenancy/tenant-context';
import { ExtensionChange, ExtensionsPolicy } from '../validation/extensions.policy';
import { EndEventDto } from './dto/journey-event.dto';
import { JourneyScope, notInService, requireNotBefore } from './journey-scope';
import { changeExtensions, completeWithEvent } from './lifecycle';
import { CompletionColumns, cascadedCompletion, eventTime } from './tracked-object.columns';
import { TrackedObjectEntity } from './tracked-object.entity';
import { TrackedObjectsRepository } from './tracked-objects.repository';

export type ChildEntity = TrackedObjectEntity & { serviceId: number };

/**
 * The lifecycle that states and tasks share as children of a service (docs/API.md §6.1): each is reached
 * only through its live service (404 otherwise), completes once (409 after), cascades its completion to
 * its own children, and every change to it records activity in the service, whose row it locks first.
 */
export abstract class ChildLifecycle<T extends ChildEntity> {
  protected constructor(
    private readonly kind: 'state' | 'task',
    protected readonly repository: TrackedObjectsRepository<T>,
    protected readonly scope: JourneyScope,
    private readonly extensions: ExtensionsPolicy,
  ) {}

  /** `POST …/{id}/end`: completes it, with the cascade, and records the activity in the service. */
  async complete(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    id: number,
    event: EndEventDto,
    now: number,
  ): Promise<void> {
    // The service's row first, then the object's: the order a service's own completion (by request or by
    // the sweeper) locks them in, so that the two queue instead of deadlocking each other.
    await this.scope.lockLiveService(manager, tenant, serviceId);
    await this.scope.touchService(manager, serviceId, now);
    await this.completeInService(manager, serviceId, id, event, now);
  }

  /** `PUT …/{id}/extensions/{name}` and `…/merge`: one extension changed, the activity recorded. */
  async changeExtension(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    id: number,
    change: ExtensionChange,
    now: number,
  ): Promise<void> {
    await this.scope.lockLiveService(manager, tenant, serviceId);
    await this.scope.touchService(manager, serviceId, now);
    await this.findInService(manager, serviceId, id);
    await changeExtensions(this.repository, manager, this.kind, id, (current) =>
      this.extensions.apply(current, change),
    );
  }

  /** The cascade of a service's completion: its still-active children complete with it. */
  async completeActiveOfService(
    manager: EntityManager,
    serviceId: number,
    columns: CompletionColumns,
  ): Promise<void> {
    await this.repository.completeActiveWhere(manager, 'service_id', serviceId, columns);
  }

  /** The object, if it belongs to that service; else 404. */
  protected async findInService(manager: EntityManager, serviceId: number, id: number): Promise<T> {
    const found = await this.repository.findOne(manager, { id, serviceId } as FindOptionsWhere<T>);
    if (!found) throw notInService(this.kind, id, serviceId);
    return found;
  }

  /** Completes the object of a service the caller has checked, cascading to the object's children. */
  protected async completeInService(
    manager: EntityManager,
    serviceId: number,
    id: number,
    event: EndEventDto,
    now: number,
  ): Promise<void> {
    const found = await this.findInService(manager, serviceId, id);
    requireNotBefore(eventTime(event, now), found.startedAt, `the ${this.kind}'s start`);
    const completion = await completeWithEvent(
      this.repository,
      this.extensions,
      manager,
      this.kind,
      id,
      event,
      now,
    );
    await this.cascade(manager, id, cascadedCompletion(completion));
  }

  /** Completes the object's own still-active children (a state's tasks; a task has none). */
  protected abstract cascade(
    manager: EntityManager,
    id: number,
    columns: CompletionColumns,
  ): Promise<void>;
}
