import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { Status } from '../journey/status';
import { nestedStatus, pageOf } from '../reads/dto/read-query.dto';
import { parseExtensionSelection } from '../reads/extension-selection';
import { groupBy } from '../reads/nested-arrays';
import { StatesService } from '../states/states.service';
import { TasksService } from '../tasks/tasks.service';
import { TenantContext } from '../tenancy/tenant-context';
import { parseIsoTimestamp } from '../validation/iso-timestamp';
import { ServiceListQueryDto, ServiceQueryDto } from './dto/service-query.dto';
import { ServiceResponseDto } from './dto/service-response.dto';
import { ServiceEntity } from './service.entity';
import { serviceJson } from './service.representation';
import { ServiceOwner, ServicesRepository } from './services.repository';
import { ServicesService } from './services.service';

/** Everything a service read may include, as the export of whole services wants it. */
export const WHOLE_SERVICE: ServiceQueryDto = {
  active_states: true,
  completed_states: true,
  active_tasks: true,
  completed_tasks: true,
  extensions: '*',
};

/** The reads of services (docs/API.md §4.1, §4.4): one service or a list, with what the query nests. */
@Injectable()
export class ServiceReader {
  private readonly nestedLimit: number;

  constructor(
    @Inject(appConfig.KEY) config: AppConfig,
    private readonly repository: ServicesRepository,
    private readonly services: ServicesService,
    private readonly states: StatesService,
    private readonly tasks: TasksService,
  ) {
    this.nestedLimit = config.NESTED_READ_LIMIT;
  }

  async get(
    manager: EntityManager,
    tenant: TenantContext,
    id: number,
    query: ServiceQueryDto,
  ): Promise<ServiceResponseDto> {
    const [service] = await this.represent(
      manager,
      [await this.services.getLive(manager, tenant, id)],
      query,
    );
    return service;
  }

  /** A customer's services, or the anonymous ones of a contact key, filtered and paged as asked. */
  async list(
    manager: EntityManager,
    tenant: TenantContext,
    owner: ServiceOwner,
    status: Status,
    query: ServiceListQueryDto,
  ): Promise<ServiceResponseDto[]> {
    const filter = {
      status,
      serviceTypes: query.service_types,
      startedFrom:
        query.started_from === undefined ? undefined : parseIsoTimestamp(query.started_from),
      startedTo: query.started_to === undefined ? undefined : parseIsoTimestamp(query.started_to),
    };
    const services = await this.repository.list(
      manager,
      tenant.tenantId,
      owner,
      filter,
      pageOf(query),
    );
    return this.represent(manager, services, query);
  }

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
    const limit = this.nestedLimit;
    return services.map((service) => {
      const own = { states: states?.get(service.id) ?? [], tasks: tasks?.get(service.id) ?? [] };
      return serviceJson(service, selection, {
        stateStatus,
        states: own.states.slice(0, limit),
        taskStatus,
        tasks: own.tasks.slice(0, limit),
        moreStates: Math.max(0, own.states.length - limit),
        moreTasks: Math.max(0, own.tasks.length - limit),
      });
    });
  }
}
