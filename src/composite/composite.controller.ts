import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EntityManager } from 'typeorm';
import { resourcePath } from '../common/api-base-path';
import { AppConfig, appConfig } from '../config/app-config';
import { RetryableTransactionError } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { ApiException, ValidationException } from '../errors/api-exceptions';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { ServicesService } from '../services/services.service';
import { StatesService } from '../states/states.service';
import { TasksService } from '../tasks/tasks.service';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import seedExample from './dto/composite-start.example.json';
import { CompositeEventDto, CompositeStartRequestDto } from './dto/composite-start-request.dto';
import { CompositeResultDto, CompositeStartResponseDto } from './dto/composite-start-response.dto';

const flag = (created: boolean) => (created ? 'true' : 'false');

/**
 * Events are processed grouped by service key (a stable sort, so events of one service keep their request
 * order). Two requests touching the same services then lock them in the same order and cannot deadlock
 * each other; answers still come back in request order.
 */
function processingOrder(events: CompositeEventDto[]): number[] {
  const keyOf = ({ service }: CompositeEventDto) =>
    [service.customer_id ?? '', service.service_type, service.contact_key ?? ''].join('\u0000');
  const keys = events.map(keyOf);
  return events
    .map((_, index) => index)
    .sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
}

function locationOf(result: CompositeResultDto): string {
  const serviceId = result.service.service_id;
  return result.task
    ? resourcePath('services', serviceId, 'tasks', result.task.task_id)
    : resourcePath('services', serviceId, 'states', result.state.state_id);
}

@ApiTags('Composite')
@ApiHeader({
  name: 'ContactCenterId',
  required: false,
  description: 'Tenant (default tenant when absent)',
})
@ApiHeader({
  name: 'GroupId',
  required: false,
  description: 'Business unit stored with created objects',
})
@Controller('services_composite')
export class CompositeController {
  private readonly maxEvents: number;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly services: ServicesService,
    private readonly states: StatesService,
    private readonly tasks: TasksService,
    private readonly metrics: MetricsRecorder,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.maxEvents = config.COMPOSITE_MAX_EVENTS;
  }

  @Post('start')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Composite start of service, state and task',
    description:
      'For each event, finds the active service with exactly the same customer_id, service_type and contact_key ' +
      '(or creates it), then the active state of that type in it, then (when given) the active task of that type, ' +
      'creating whatever is missing. All events run in one transaction: all are stored or none.',
  })
  @ApiBody({
    type: CompositeStartRequestDto,
    examples: { seed: { summary: 'The reference example', value: seedExample } },
  })
  @ApiOkResponse({
    type: CompositeStartResponseDto,
    description: 'The ids of the found or created objects, one result per event',
    headers: {
      Location: {
        description:
          "The first event's task (/services/{id}/tasks/{id}), or its state when it had no task",
        schema: { type: 'string', example: '/genesys/1/cs/services/111222/tasks/555666' },
      },
    },
  })
  @ApiErrorResponses(400, 404, 409, 413, 415, 429, 500, 503)
  async start(
    @Tenant() tenant: TenantContext,
    @Body() body: CompositeStartRequestDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CompositeStartResponseDto> {
    this.checkEvents(body.services);
    const now = Date.now();
    const results = await this.transactions.transaction((manager) =>
      this.startAll(manager, tenant, body.services, now),
    );
    this.metrics.compositeStarted(results);
    response.setHeader('Location', locationOf(results[0]));
    return { services: results };
  }

  private checkEvents(events: CompositeEventDto[]): void {
    if (events.length > this.maxEvents) {
      throw ValidationException.of(
        'services',
        `must have at most ${this.maxEvents} events (got ${events.length})`,
      );
    }
    const problems = events.flatMap((event, index) =>
      event.associate_state_task && event.task?.state_id !== undefined
        ? [
            {
              path: `services[${index}].task.state_id`,
              problem: 'must be left out when associate_state_task is true',
            },
          ]
        : [],
    );
    if (problems.length > 0) throw new ValidationException(problems);
  }

  private async startAll(
    manager: EntityManager,
    tenant: TenantContext,
    events: CompositeEventDto[],
    now: number,
  ): Promise<CompositeResultDto[]> {
    const results: CompositeResultDto[] = new Array<CompositeResultDto>(events.length);
    for (const index of processingOrder(events)) {
      try {
        results[index] = await this.startOne(manager, tenant, events[index], now);
      } catch (error) {
        throw error instanceof ApiException ? error.within(`services[${index}]`) : error;
      }
    }
    return results;
  }

  private async lockActiveService(
    manager: EntityManager,
    serviceId: number,
    now: number,
  ): Promise<void> {
    if (!(await this.services.touch(manager, serviceId, now))) {
      throw new RetryableTransactionError(`service ${serviceId} was completed during the request`);
    }
  }

  private async startOne(
    manager: EntityManager,
    tenant: TenantContext,
    event: CompositeEventDto,
    now: number,
  ): Promise<CompositeResultDto> {
    const service = await this.services.findOrStart(manager, tenant, event.service, now);
    // Lock a found service's row (recording the activity) before inserting into it. The insert's foreign-key
    // check takes a shared lock on that row; two requests each holding one and then wanting to update the
    // service would deadlock, whereas this way they simply queue. The lock also keeps a concurrent
    // completion of the service from slipping in; if one already did, the whole request runs again.
    let touched: Promise<void> | undefined;
    const touchService = () =>
      (touched ??= service.created
        ? Promise.resolve()
        : this.lockActiveService(manager, service.id, now));

    const state = await this.states.findOrStart(
      manager,
      tenant,
      service.id,
      event.state,
      now,
      touchService,
    );
    const result: CompositeResultDto = {
      service: { service_id: service.id, created: flag(service.created) },
      state: { state_id: state.id, created: flag(state.created) },
    };
    if (!event.task) return result;

    let taskStateId: number | null = null;
    if (event.associate_state_task) {
      taskStateId = state.id;
    } else if (event.task.state_id !== undefined) {
      await this.states.requireActiveInService(manager, service.id, event.task.state_id);
      taskStateId = event.task.state_id;
    }
    const task = await this.tasks.findOrStart(
      manager,
      tenant,
      service.id,
      taskStateId,
      event.task,
      now,
      touchService,
    );
    return { ...result, task: { task_id: task.id, created: flag(task.created) } };
  }
}
