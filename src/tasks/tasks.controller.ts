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
import { TaskEndEventDto } from './dto/task-end-event.dto';
import { ReadQueryDto } from '../reads/dto/read-query.dto';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { ExtensionNameParamPipe, IdParamPipe, JsonBodyPipe } from '../validation/param.pipes';
import { ExtensionChange } from '../validation/extensions.policy';
import { TaskListQueryDto } from './dto/task-query.dto';
import { TaskResponseDto, TaskStartedDto } from './dto/task-response.dto';
import { TaskStartEventDto } from './dto/task-start-event.dto';
import { TasksService } from './tasks.service';

const ID = new IdParamPipe();
const NAME = new ExtensionNameParamPipe();

const listOf = (summary: string) =>
  ApiEndpoint({ summary, type: [TaskResponseDto], errors: [400, 404, 500, 503] });

/** The task operations (docs/API.md §4.3): HTTP only; the rules are in TasksService. */
@ApiTags('Tasks')
@ApiTenantHeaders()
@Controller('services/:service_id/tasks')
export class TasksController {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly tasks: TasksService,
  ) {}

  @Post('start')
  @ApiEndpoint({
    summary: 'Start a task in a service (optionally in one of its states)',
    status: 201,
    type: TaskStartedDto,
    location: '/genesys/1/cs/services/111222/tasks/555666',
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  async start(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Body() event: TaskStartEventDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<TaskStartedDto> {
    const id = await this.transactions.transaction((manager) =>
      this.tasks.start(manager, tenant, serviceId, event, Date.now()),
    );
    response.header('Location', resourcePath('services', serviceId, 'tasks', id));
    return { task_id: id };
  }

  @Post(':task_id/end')
  @ApiEndpoint({
    summary: 'Complete a task',
    status: 204,
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  end(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('task_id', ID) id: number,
    @Body() event: TaskEndEventDto,
  ): Promise<void> {
    return this.transactions.transaction((manager) =>
      this.tasks.complete(manager, tenant, serviceId, id, event, Date.now()),
    );
  }

  @Get()
  @listOf('The tasks of a service')
  list(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: TaskListQueryDto,
  ): Promise<TaskResponseDto[]> {
    return this.transactions.read((manager) =>
      this.tasks.list(manager, tenant, serviceId, 'all', query),
    );
  }

  @Get('active')
  @listOf('The active tasks of a service')
  listActive(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: TaskListQueryDto,
  ): Promise<TaskResponseDto[]> {
    return this.transactions.read((manager) =>
      this.tasks.list(manager, tenant, serviceId, 'active', query),
    );
  }

  @Get('completed')
  @listOf('The completed tasks of a service')
  listCompleted(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: TaskListQueryDto,
  ): Promise<TaskResponseDto[]> {
    return this.transactions.read((manager) =>
      this.tasks.list(manager, tenant, serviceId, 'completed', query),
    );
  }

  @Get(':task_id')
  @ApiEndpoint({ summary: 'Get a task', type: TaskResponseDto, errors: [400, 404, 500, 503] })
  get(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('task_id', ID) id: number,
    @Query() query: ReadQueryDto,
  ): Promise<TaskResponseDto> {
    return this.transactions.read((manager) =>
      this.tasks.get(manager, tenant, serviceId, id, query),
    );
  }

  @Put(':task_id/extensions/:name')
  @ApiEndpoint({
    summary: 'Replace (or create) an extension of a task',
    body: EXTENSION_VALUE_BODY,
    errors: [400, 404, 413, 415, 500, 503],
  })
  replaceExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('task_id', ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    return this.changeExtension(tenant, [serviceId, id], { operation: 'replace', name, value });
  }

  @Put(':task_id/extensions/:name/merge')
  @ApiEndpoint({
    summary: 'Merge keys into an object extension of a task',
    body: EXTENSION_MERGE_BODY,
    errors: [400, 404, 413, 415, 500, 503],
  })
  mergeExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('task_id', ID) id: number,
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
      this.tasks.changeExtension(manager, tenant, serviceId, id, change, Date.now()),
    );
  }
}
