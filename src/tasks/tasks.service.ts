import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FoundOrCreated, KnownId, findOrCreate } from '../common/found-or-created';
import { startColumns } from '../common/tracked-object.mapper';
import { TenantContext } from '../tenancy/tenant-context';
import { TaskStartEventDto } from './dto/task-start-event.dto';
import { TasksRepository } from './tasks.repository';

@Injectable()
export class TasksService {
  constructor(private readonly repository: TasksRepository) {}

  /**
   * Composite start's task step (API.md §3.3): among the active tasks of `stateId` (or, with null, of the
   * service's tasks that belong to no state) the one of the event's type, else a new one in that scope.
   * The caller has checked that `stateId` is an active state of the service. `beforeCreate` runs just
   * before a new task is inserted; `known` is what a lookup just answered.
   */
  findOrStart(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    stateId: number | null,
    event: TaskStartEventDto,
    now: number,
    beforeCreate?: () => Promise<void>,
    known?: KnownId,
  ): Promise<FoundOrCreated> {
    const stateScope = stateId ?? 0;
    return findOrCreate(
      () => this.repository.findActiveIdByType(manager, serviceId, stateScope, event.task_type),
      async () => {
        await beforeCreate?.();
        return this.repository.insert(manager, {
          ...startColumns(event, tenant, now),
          serviceId,
          stateId,
          stateScope,
          taskType: event.task_type,
          activeMarker: 1,
        });
      },
      known,
    );
  }
}
