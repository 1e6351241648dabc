import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { parseExtensionSelection } from '../common/extension-selection';
import { groupBy } from '../common/nested';
import { nestedStatus } from '../common/tracked-objects.repository';
import { StatesService } from '../states/states.service';
import { TasksService } from '../tasks/tasks.service';
import { ServiceQueryDto } from './dto/service-query.dto';
import { ServiceResponseDto } from './dto/service-response.dto';
import { ServiceEntity } from './service.entity';
import { serviceJson } from './service.representation';

/** Everything a service read may include, as the export of whole services wants it. */
export const WHOLE_SERVICE: ServiceQueryDto = {
  active_states: true,
  completed_states: true,
  active_tasks: true,
  completed_tasks: true,
  extensions: '*',
};

/** Turns services into their representation with the nested states, tasks and extensions a query asks for. */
@Injectable()
export class ServiceReader {
  constructor(
    private readonly states: StatesService,
    private readonly tasks: TasksService,
  ) {}

  /** Two queries at most for all the services' states and tasks, however many services there are. */
  async represent(
    manager: EntityManager,
    services: ServiceEntity[],
    query: ServiceQueryDto,
  ): Promise<ServiceResponseDto[]> {
    const selection = parseExtensionSelection(query.extensions, 'service');
    const stateStatus = nestedStatus(query.active_states, query.completed_states);
    const taskStatus = nestedStatus(query.active_tasks, query.completed_tasks);
    const ids = services.map((s) => s.id);
    const states = stateStatus
      ? groupBy(await this.states.ofServices(manager, ids, stateStatus), (s) => s.serviceId)
      : undefined;
    const tasks = taskStatus
      ? groupBy(
          await this.tasks.childrenOf(manager, 'serviceId', ids, taskStatus),
          (t) => t.serviceId,
        )
      : undefined;
    return services.map((service) =>
      serviceJson(service, selection, {
        stateStatus,
        states: states?.get(service.id) ?? [],
        taskStatus,
        tasks: tasks?.get(service.id) ?? [],
      }),
    );
  }
}
