import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TransactionRunner } from '../database/transaction-runner';
import { resourcePath } from '../http/api-base-path';
import {
  ApiEndpoint,
  ApiTenantHeaders,
  EXTENSION_MERGE_BODY,
  EXTENSION_VALUE_BODY,
} from '../http/api-endpoint.decorator';
import { StateEndEventDto } from './dto/state-end-event.dto';
import { TaskNestingQueryDto } from '../reads/dto/read-query.dto';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { ExtensionNameParamPipe, IdParamPipe, JsonBodyPipe } from '../validation/param.pipes';
import { ExtensionChange } from '../validation/extensions.policy';
import { StateListQueryDto } from './dto/state-query.dto';
import { StateResponseDto, StateStartedDto } from './dto/state-response.dto';
import { StateStartEventDto } from './dto/state-start-event.dto';
import { StateTransitionDto } from './dto/state-transition.dto';
import { StatesService } from './states.service';

const ID = new IdParamPipe();
const NAME = new ExtensionNameParamPipe();

const listOf = (summary: string) =>
  ApiEndpoint({ summary, type: [StateResponseDto], errors: [400, 404, 500, 503] });

/** The state operations (docs/API.md §4.2): HTTP only; the rules are in StatesService. */
@ApiTags('States')
@ApiTenantHeaders()
@Controller('services/:service_id/states')
export class StatesController {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly states: StatesService,
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
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<StateStartedDto> {
    const id = await this.transactions.transaction((manager) =>
      this.states.start(manager, tenant, serviceId, event, Date.now()),
    );
    response.header('Location', resourcePath('services', serviceId, 'states', id));
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
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<StateStartedDto> {
    const id = await this.transactions.transaction((manager) =>
      this.states.transition(manager, tenant, serviceId, body, Date.now()),
    );
    response.header('Location', resourcePath('services', serviceId, 'states', id));
    return { state_id: id };
  }

  @Post(':state_id/end')
  @ApiEndpoint({
    summary: 'Complete a state',
    description: 'Completes its still-active tasks with the same timestamp.',
    status: 204,
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  end(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('state_id', ID) id: number,
    @Body() event: StateEndEventDto,
  ): Promise<void> {
    return this.transactions.transaction((manager) =>
      this.states.complete(manager, tenant, serviceId, id, event, Date.now()),
    );
  }

  @Get()
  @listOf('The states of a service')
  list(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: StateListQueryDto,
  ): Promise<StateResponseDto[]> {
    return this.transactions.read((manager) =>
      this.states.list(manager, tenant, serviceId, 'all', query),
    );
  }

  @Get('active')
  @listOf('The active states of a service')
  listActive(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: StateListQueryDto,
  ): Promise<StateResponseDto[]> {
    return this.transactions.read((manager) =>
      this.states.list(manager, tenant, serviceId, 'active', query),
    );
  }

  @Get('completed')
  @listOf('The completed states of a service')
  listCompleted(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: StateListQueryDto,
  ): Promise<StateResponseDto[]> {
    return this.transactions.read((manager) =>
      this.states.list(manager, tenant, serviceId, 'completed', query),
    );
  }

  @Get(':state_id')
  @ApiEndpoint({ summary: 'Get a state', type: StateResponseDto, errors: [400, 404, 500, 503] })
  get(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('state_id', ID) id: number,
    @Query() query: TaskNestingQueryDto,
  ): Promise<StateResponseDto> {
    return this.transactions.read((manager) =>
      this.states.get(manager, tenant, serviceId, id, query),
    );
  }

  @Put(':state_id/extensions/:name')
  @ApiEndpoint({
    summary: 'Replace (or create) an extension of a state',
    body: EXTENSION_VALUE_BODY,
    errors: [400, 404, 413, 415, 500, 503],
  })
  replaceExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('state_id', ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    return this.changeExtension(tenant, [serviceId, id], { operation: 'replace', name, value });
  }

  @Put(':state_id/extensions/:name/merge')
  @ApiEndpoint({
    summary: 'Merge keys into an object extension of a state',
    body: EXTENSION_MERGE_BODY,
    errors: [400, 404, 413, 415, 500, 503],
  })
  mergeExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('state_id', ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    return this.changeExtension(tenant, [serviceId, id], { operation: 'merge', name, value });
  }

  /** Both extension routes: one change, in one transaction. */
  private changeExtension(
    tenant: TenantContext,
    [serviceId, id]: [number, number],
    change: ExtensionChange,
  ): Promise<void> {
    return this.transactions.transaction((manager) =>
      this.states.changeExtension(manager, tenant, serviceId, id, change, Date.now()),
    );
  }
}
