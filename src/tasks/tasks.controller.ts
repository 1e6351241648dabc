import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiEndpoint, ApiTenantHeaders } from '../common/api-endpoint.decorator';
import { resourcePath } from '../common/api-base-path';
import { EndEventDto } from '../common/dto/end-event.dto';
import { pageOf, ReadQueryDto } from '../common/dto/read-query.dto';
import { parseExtensionSelection } from '../common/extension-selection';
import { Status } from '../common/tracked-objects.repository';
import { TransactionRunner } from '../database/transaction-runner';
import { ServicesService } from '../services/services.service';
import { StatesService } from '../states/states.service';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { Extensions } from '../validation/extensions';
import { ExtensionsPolicy } from '../validation/extensions.policy';
import { ExtensionNameParamPipe, IdParamPipe, JsonBodyPipe } from '../validation/param.pipes';
import { TaskListQueryDto } from './dto/task-query.dto';
import { TaskResponseDto, TaskStartedDto } from './dto/task-response.dto';
import { TaskStartEventDto } from './dto/task-start-event.dto';
import { taskJson } from './task.representation';
import { TasksService } from './tasks.service';

const ID = new IdParamPipe();
const NAME = new ExtensionNameParamPipe();

@ApiTags('Tasks')
@ApiTenantHeaders()
@Controller('services/:service_id/tasks')
export class TasksController {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly services: ServicesService,
    private readonly states: StatesService,
    private readonly tasks: TasksService,
    private readonly extensions: ExtensionsPolicy,
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
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskStartedDto> {
    const id = await this.transactions.transaction(async (m) => {
      const now = Date.now();
      await this.services.requireActive(m, tenant, serviceId, now);
      if (event.state_id !== undefined)
        await this.states.requireActiveInService(m, serviceId, event.state_id);
      return this.tasks.start(m, tenant, serviceId, event, now);
    });
    response.setHeader('Location', resourcePath('services', serviceId, 'tasks', id));
    return { task_id: id };
  }

  @Post(':task_id/end')
  @ApiEndpoint({
    summary: 'Complete a task',
    status: 204,
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  async end(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('task_id', ID) id: number,
    @Body() event: EndEventDto,
  ): Promise<void> {
    await this.transactions.transaction(async (m) => {
      const now = Date.now();
      await this.services.get(m, tenant, serviceId);
      await this.tasks.complete(m, serviceId, id, event, now);
      await this.services.touch(m, serviceId, now);
    });
  }

  @Get()
  @ApiEndpoint({
    summary: 'The tasks of a service',
    type: [TaskResponseDto],
    errors: [400, 404, 500, 503],
  })
  list(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: TaskListQueryDto,
  ): Promise<TaskResponseDto[]> {
    return this.listWithStatus(tenant, serviceId, 'all', query);
  }

  @Get('active')
  @ApiEndpoint({
    summary: 'The active tasks of a service',
    type: [TaskResponseDto],
    errors: [400, 404, 500, 503],
  })
  listActive(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: TaskListQueryDto,
  ): Promise<TaskResponseDto[]> {
    return this.listWithStatus(tenant, serviceId, 'active', query);
  }

  @Get('completed')
  @ApiEndpoint({
    summary: 'The completed tasks of a service',
    type: [TaskResponseDto],
    errors: [400, 404, 500, 503],
  })
  listCompleted(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: TaskListQueryDto,
  ): Promise<TaskResponseDto[]> {
    return this.listWithStatus(tenant, serviceId, 'completed', query);
  }

  @Get(':task_id')
  @ApiEndpoint({ summary: 'Get a task', type: TaskResponseDto, errors: [400, 404, 500, 503] })
  get(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('task_id', ID) id: number,
    @Query() query: ReadQueryDto,
  ): Promise<TaskResponseDto> {
    return this.transactions.read(async (m) => {
      await this.services.get(m, tenant, serviceId);
      const task = await this.tasks.get(m, serviceId, id);
      return taskJson(task, parseExtensionSelection(query.extensions, 'task').task, true);
    });
  }

  @Put(':task_id/extensions/:name')
  @ApiEndpoint({
    summary: 'Replace (or create) an extension of a task',
    errors: [400, 404, 413, 415, 500, 503],
  })
  async replaceExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('task_id', ID) id: number,
    @Param('name', NAME) name: string,
    @Body(JsonBodyPipe) value: unknown,
  ): Promise<void> {
    await this.changeExtensions(tenant, serviceId, id, (all) =>
      this.extensions.replace(all, name, value),
    );
  }

  @Put(':task_id/extensions/:name/merge')
  @ApiEndpoint({
    summary: 'Merge keys into an object extension of a task',
    errors: [400, 404, 413, 415, 500, 503],
  })
  async mergeExtension(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('task_id', ID) id: number,
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
      await this.tasks.changeExtensions(m, serviceId, id, change);
      await this.services.touch(m, serviceId, Date.now());
    });
  }

  private listWithStatus(
    tenant: TenantContext,
    serviceId: number,
    status: Status,
    query: TaskListQueryDto,
  ): Promise<TaskResponseDto[]> {
    return this.transactions.read(async (m) => {
      await this.services.get(m, tenant, serviceId);
      const page = pageOf(query);
      const filter = { status, taskTypes: query.task_types, stateId: query.state_id };
      const selection = parseExtensionSelection(query.extensions, 'task');
      return (await this.tasks.list(m, serviceId, filter, page)).map((t) =>
        taskJson(t, selection.task, true),
      );
    });
  }
}
