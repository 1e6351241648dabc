import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EntityManager } from 'typeorm';
import { ApiEndpoint, ApiTenantHeaders } from '../common/api-endpoint.decorator';
import { resourcePath } from '../common/api-base-path';
import { EndEventDto } from '../common/dto/end-event.dto';
import { eventFieldsOf } from '../common/dto/event-fields.dto';
import { pageOf, TaskNestingQueryDto } from '../common/dto/read-query.dto';
import { parseExtensionSelection } from '../common/extension-selection';
import { groupBy } from '../common/nested';
import { cascadedCompletion } from '../common/tracked-object.mapper';
import { nestedStatus, Status } from '../common/tracked-objects.repository';
import { TransactionRunner } from '../database/transaction-runner';
import { ServicesService } from '../services/services.service';
import { TasksService } from '../tasks/tasks.service';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { Extensions, extensionsOf } from '../validation/extensions';
import { ExtensionsPolicy } from '../validation/extensions.policy';
import { ExtensionNameParamPipe, IdParamPipe, JsonBodyPipe } from '../validation/param.pipes';
import { StateListQueryDto } from './dto/state-query.dto';
import { StateResponseDto, StateStartedDto } from './dto/state-response.dto';
import { StateStartEventDto } from './dto/state-start-event.dto';
import { StateTransitionDto } from './dto/state-transition.dto';
import { StateEntity } from './state.entity';
import { stateJson } from './state.representation';
import { StatesService } from './states.service';

const ID = new IdParamPipe();
const NAME = new ExtensionNameParamPipe();

@ApiTags('States')
@ApiTenantHeaders()
@Controller('services/:service_id/states')
export class StatesController {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly services: ServicesService,
    private readonly states: StatesService,
    private readonly tasks: TasksService,
    private readonly extensions: ExtensionsPolicy,
  ) {}

  @Post('start')
  @ApiEndpoint({
    summary: 'Start a state in a service',
    status: 201,
    type: StateStartedDto,
    location: '/genesys/1/cs/services/111222/states/333444',
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  async start(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Body() event: StateStartEventDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StateStartedDto> {
    const id = await this.transactions.transaction(async (m) => {
      const now = Date.now();
      await this.services.requireActive(m, tenant, serviceId, now);
      return this.states.start(m, tenant, serviceId, event, now);
    });
    response.setHeader('Location', resourcePath('services', serviceId, 'states', id));
    return { state_id: id };
  }

  @Post('transition')
  @ApiEndpoint({
    summary: 'Complete one state and start the next',
    description:
      'Both happen in one transaction; the new state records the completed one as previous_state_id.',
    status: 201,
    type: StateStartedDto,
    location: '/genesys/1/cs/services/111222/states/333445',
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  async transition(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Body() body: StateTransitionDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StateStartedDto> {
    const id = await this.transactions.transaction(async (m) => {
      const now = Date.now();
      await this.services.requireActive(m, tenant, serviceId, now);
      const { from, to } = body;
      const end = Object.assign(new EndEventDto(), eventFieldsOf(body), {
        disposition: from.disposition,
        disposition_desc: from.disposition_desc,
      });
      const completion = await this.states.complete(m, serviceId, from.state_id, end, now);
      await this.tasks.completeActiveOfState(m, from.state_id, cascadedCompletion(completion));
      // The transition's extensions belong to the state it starts.
      const next = Object.assign(
        new StateStartEventDto(),
        eventFieldsOf(body),
        extensionsOf(body),
        {
          state_type: to.state_type,
          est_duration: to.est_duration,
          previous_state_id: from.state_id,
        },
      );
      return this.states.start(m, tenant, serviceId, next, now);
    });
    response.setHeader('Location', resourcePath('services', serviceId, 'states', id));
    return { state_id: id };
  }

  @Post(':state_id/end')
  @ApiEndpoint({
    summary: 'Complete a state',
    description: 'Completes its still-active tasks with the same timestamp.',
    status: 204,
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  async end(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('state_id', ID) id: number,
    @Body() event: EndEventDto,
  ): Promise<void> {
    await this.transactions.transaction(async (m) => {
      const now = Date.now();
      await this.services.get(m, tenant, serviceId);
      const completion = await this.states.complete(m, serviceId, id, event, now);
      await this.tasks.completeActiveOfState(m, id, cascadedCompletion(completion));
      await this.services.touch(m, serviceId, now);
    });
  }

  @Get()
  @ApiEndpoint({
    summary: 'The states of a service',
    type: [StateResponseDto],
    errors: [400, 404, 500, 503],
  })
  list(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: StateListQueryDto,
  ): Promise<StateResponseDto[]> {
    return this.listWithStatus(tenant, serviceId, 'all', query);
  }

  @Get('active')
  @ApiEndpoint({
    summary: 'The active states of a service',
    type: [StateResponseDto],
    errors: [400, 404, 500, 503],
  })
  listActive(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: StateListQueryDto,
  ): Promise<StateResponseDto[]> {
    return this.listWithStatus(tenant, serviceId, 'active', query);
  }

  @Get('completed')
  @ApiEndpoint({
    summary: 'The completed states of a service',
    type: [StateResponseDto],
    errors: [400, 404, 500, 503],
  })
  listCompleted(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: StateListQueryDto,
  ): Promise<StateResponseDto[]> {
    return this.listWithStatus(tenant, serviceId, 'completed', query);
  }

  @Get(':state_id')
  @ApiEndpoint({ summary: 'Get a state', type: StateResponseDto, errors: [400, 404, 500, 503] })
  get(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('state_id', ID) id: number,
    @Query() query: TaskNestingQueryDto,
  ): Promise<StateResponseDto> {
    return this.transactions.read(async (m) => {
      await this.services.get(m, tenant, serviceId);
      const [state] = await this.represent(m, [await this.states.get(m, serviceId, id)], query);
      return state;
    });
  }

  @Put(':state_id/extensions/:name')
  @ApiEndpoint({
    summary: 'Replace (or create) an extension of a state',
    errors: [400, 404, 413, 415, 500, 503],
  })
  async replaceExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('state_id', ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    await this.changeExtensions(tenant, serviceId, id, (all) =>
      this.extensions.replace(all, name, value),
    );
  }

  @Put(':state_id/extensions/:name/merge')
  @ApiEndpoint({
    summary: 'Merge keys into an object extension of a state',
    errors: [400, 404, 413, 415, 500, 503],
  })
  async mergeExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('state_id', ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    await this.changeExtensions(tenant, serviceId, id, (all) =>
      this.extensions.merge(all, name, value),
    );
  }

  private changeExtensions(
    tenant: TenantContext,
    serviceId: number,
    id: number,
    change: (current: Extensions) => Extensions,
  ): Promise<void> {
    return this.transactions.transaction(async (m) => {
      await this.services.get(m, tenant, serviceId);
      await this.states.changeExtensions(m, serviceId, id, change);
      await this.services.touch(m, serviceId, Date.now());
    });
  }

  private listWithStatus(
    tenant: TenantContext,
    serviceId: number,
    status: Status,
    query: StateListQueryDto,
  ): Promise<StateResponseDto[]> {
    return this.transactions.read(async (m) => {
      await this.services.get(m, tenant, serviceId);
      const page = pageOf(query);
      return this.represent(
        m,
        await this.states.list(m, serviceId, status, query.state_types, page),
        query,
      );
    });
  }

  /** States with the nested tasks and extensions the query asks for: one more query at most for all. */
  private async represent(
    manager: EntityManager,
    states: StateEntity[],
    query: TaskNestingQueryDto,
  ): Promise<StateResponseDto[]> {
    const selection = parseExtensionSelection(query.extensions, 'state');
    const status = nestedStatus(query.active_tasks, query.completed_tasks);
    const ids = states.map((s) => s.id);
    const tasks = status
      ? groupBy(await this.tasks.childrenOf(manager, 'stateId', ids, status), (t) => t.stateId)
      : undefined;
    return states.map((state) =>
      stateJson(state, selection, true, { status, tasks: tasks?.get(state.id) ?? [] }),
    );
  }
}
