import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FoundOrCreated, KnownId, findOrCreate } from '../common/found-or-created';
import { startColumns } from '../common/tracked-object.mapper';
import { ConflictApiException, NotFoundApiException } from '../errors/api-exceptions';
import { TenantContext } from '../tenancy/tenant-context';
import { StateStartEventDto } from './dto/state-start-event.dto';
import { StatesRepository } from './states.repository';

@Injectable()
export class StatesService {
  constructor(private readonly repository: StatesRepository) {}

  /**
   * Composite start's state step (API.md §3.2): the service's active state of the event's type, else a new
   * one. `previous_state_id`, when the state is created, must name a state of the same service.
   * `beforeCreate` runs just before a new state is inserted; `known` is what a lookup just answered.
   */
  findOrStart(
    manager: EntityManager,
    tenant: TenantContext,
    serviceId: number,
    event: StateStartEventDto,
    now: number,
    beforeCreate?: () => Promise<void>,
    known?: KnownId,
  ): Promise<FoundOrCreated> {
    return findOrCreate(
      () => this.repository.findActiveIdByType(manager, serviceId, event.state_type),
      async () => {
        await beforeCreate?.();
        if (event.previous_state_id !== undefined) {
          await this.requireInService(manager, serviceId, event.previous_state_id);
        }
        return this.repository.insert(manager, {
          ...startColumns(event, tenant, now),
          serviceId,
          stateType: event.state_type,
          previousStateId: event.previous_state_id ?? null,
          activeMarker: 1,
        });
      },
      known,
    );
  }

  /** 404 unless the state belongs to the service; 409 if it is completed (nothing can start in it). */
  async requireActiveInService(
    manager: EntityManager,
    serviceId: number,
    stateId: number,
  ): Promise<void> {
    if ((await this.requireInService(manager, serviceId, stateId)) === 'completed') {
      throw new ConflictApiException(`state ${stateId} is completed; nothing can start in it`);
    }
  }

  private async requireInService(
    manager: EntityManager,
    serviceId: number,
    stateId: number,
  ): Promise<'active' | 'completed'> {
    const status = await this.repository.statusInService(manager, serviceId, stateId);
    if (!status)
      throw new NotFoundApiException(`state ${stateId} is not a state of service ${serviceId}`);
    return status;
  }
}
