import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EntityManager } from 'typeorm';
import { resourcePath } from '../common/api-base-path';
import { KnownId } from '../common/found-or-created';
import { AppConfig, appConfig } from '../config/app-config';
import { isDuplicateKeyError, RetryableTransactionError } from '../database/database-errors';
import { insertsReturnIds } from '../database/insert-returning-id';
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
import { CompositeLookup, CompositeLookupKey, CompositeRepository } from './composite.repository';

const flag = (created: boolean) => (created ? 'true' : 'false');

const serviceKeyOf = ({ service }: CompositeEventDto) =>
  [service.customer_id ?? '', service.service_type, service.contact_key ?? ''].join('\u0000');

/**
 * Events are processed grouped by service key (a stable sort, so events of one service keep their request
 * order). Two requests touching the same services then lock them in the same order and cannot deadlock
 * each other; answers still come back in request order.
 */
function processingOrder(keys: string[]): number[] {
  return keys
    .map((_, index) => index)
    .sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
}

function lookupKeyOf(tenant: TenantContext, event: CompositeEventDto): CompositeLookupKey {
  const { service, state, task, associate_state_task } = event;
  return {
    tenantId: tenant.tenantId,
    customerId: service.customer_id ?? '',
    serviceType: service.service_type,
    contactKey: service.contact_key ?? '',
    stateType: state.state_type,
    // A task in a state named by id needs that state checked first; it is looked up in the transaction.
    taskType:
      task && (associate_state_task || task.state_id === undefined) ? task.task_type : undefined,
    taskInState: associate_state_task === true,
  };
}

/** The answer when the lookup found everything every event names: nothing to create, nothing to lock. */
function allFound(
  events: CompositeEventDto[],
  lookups: CompositeLookup[],
): CompositeResultDto[] | undefined {
  const results: CompositeResultDto[] = [];
  for (const [index, { serviceId, stateId, taskId }] of lookups.entries()) {
    const wantsTask = events[index].task !== undefined;
    if (serviceId === null || stateId === null || (wantsTask && taskId === null)) return undefined;
    const result: CompositeResultDto = {
      service: { service_id: serviceId, created: 'false' },
      state: { state_id: stateId, created: 'false' },
    };
    results.push(wantsTask ? { ...result, task: { task_id: taskId!, created: 'false' } } : result);
  }
  return results;
}

/**
 * The events (indexes, in processing order) that certainly create their service, state and task: the lookup
 * found no service for their key, no other event of the request names that key, and they refer to no
 * existing state (`previous_state_id`, `task.state_id`, which would be a 404 in a new service). Their rows
 * can be inserted level by level, several events per statement; VALUES in processing order keep the lock
 * order of concurrent requests the same as one at a time.
 */
function freshEvents(
  events: CompositeEventDto[],
  keys: string[],
  lookups: CompositeLookup[],
  order: number[],
): number[] {
  const uses = new Map<string, number>();
  for (const key of keys) uses.set(key, (uses.get(key) ?? 0) + 1);
  return order.filter(
    (index) =>
      lookups[index].serviceId === null &&
      uses.get(keys[index]) === 1 &&
      events[index].state.previous_state_id === undefined &&
      events[index].task?.state_id === undefined,
  );
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
    private readonly composite: CompositeRepository,
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
    const events = body.services;
    this.checkEvents(events);
    const now = Date.now();
    // One round trip finds what exists; most calls of a journey find everything and need no transaction.
    const lookups = await this.transactions.read((manager) =>
      this.composite.findActive(
        manager,
        events.map((event) => lookupKeyOf(tenant, event)),
      ),
    );
    let hints: CompositeLookup[] | undefined = lookups;
    const results =
      allFound(events, lookups) ??
      (await this.transactions.transaction((manager) => {
        // A retried attempt lost a race: what the lookup saw is stale, so it looks everything up again.
        const firstAttemptHints = hints;
        hints = undefined;
        return this.startAll(manager, tenant, events, now, firstAttemptHints);
      }));
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
    hints: CompositeLookup[] | undefined,
  ): Promise<CompositeResultDto[]> {
    const results: CompositeResultDto[] = new Array<CompositeResultDto>(events.length);
    const keys = events.map(serviceKeyOf);
    const order = processingOrder(keys);
    const fresh = hints && insertsReturnIds(manager) ? freshEvents(events, keys, hints, order) : [];
    if (fresh.length > 0) {
      const created = await this.createFresh(
        manager,
        tenant,
        fresh.map((index) => events[index]),
        now,
      );
      // A concurrent request created one of these services since the lookup, which is therefore stale: every
      // event goes the one-at-a-time way, which looks again and waits for or finds the winner's rows.
      if (created) created.forEach((result, i) => (results[fresh[i]] = result));
      else hints = undefined;
    }
    const seen = new Set<string>();
    for (const index of order) {
      if (results[index]) continue;
      // The lookup ran before this request wrote anything: it describes a key only until an event uses it.
      const hint = hints && !seen.has(keys[index]) ? hints[index] : undefined;
      seen.add(keys[index]);
      try {
        results[index] = await this.startOne(manager, tenant, events[index], now, hint);
      } catch (error) {
        throw error instanceof ApiException ? error.within(`services[${index}]`) : error;
      }
    }
    return results;
  }

  /**
   * Creates the service, state and task of every event in `events` (which start from nothing, see
   * `freshEvents`) in three statements whatever their number, instead of up to three per event. Undefined,
   * with nothing stored, when a concurrent request created one of the services first.
   */
  private async createFresh(
    manager: EntityManager,
    tenant: TenantContext,
    events: CompositeEventDto[],
    now: number,
  ): Promise<CompositeResultDto[] | undefined> {
    let serviceIds: number[];
    try {
      serviceIds = await this.services.startAllNew(
        manager,
        tenant,
        events.map((event) => event.service),
        now,
      );
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
    const stateIds = await this.states.startAllNew(
      manager,
      tenant,
      serviceIds,
      events.map((event) => event.state),
      now,
    );
    const withTask = events.flatMap((event, i) => (event.task ? [i] : []));
    const taskIds = await this.tasks.startAllNew(
      manager,
      tenant,
      withTask.map((i) => ({
        serviceId: serviceIds[i],
        stateId: events[i].associate_state_task ? stateIds[i] : null,
        event: events[i].task!,
      })),
      now,
    );
    const results = events.map((_, i): CompositeResultDto => ({
      service: { service_id: serviceIds[i], created: 'true' },
      state: { state_id: stateIds[i], created: 'true' },
    }));
    withTask.forEach((i, t) => (results[i].task = { task_id: taskIds[t], created: 'true' }));
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
    hint: CompositeLookup | undefined,
  ): Promise<CompositeResultDto> {
    const service = await this.services.findOrStart(
      manager,
      tenant,
      event.service,
      now,
      hint?.serviceId,
    );
    // The lookup's state and task belong to the service it found; a service created just now has neither.
    const inLookedUpService = hint !== undefined && service.id === hint.serviceId;
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
      service.created ? null : inLookedUpService ? hint.stateId : undefined,
    );
    const result: CompositeResultDto = {
      service: { service_id: service.id, created: flag(service.created) },
      state: { state_id: state.id, created: flag(state.created) },
    };
    if (!event.task) return result;

    let taskStateId: number | null = null;
    let knownTask: KnownId = service.created ? null : inLookedUpService ? hint.taskId : undefined;
    if (event.associate_state_task) {
      taskStateId = state.id;
      if (state.created) knownTask = null;
      else if (state.id !== hint?.stateId) knownTask = undefined;
    } else if (event.task.state_id !== undefined) {
      knownTask = undefined;
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
      knownTask,
    );
    return { ...result, task: { task_id: task.id, created: flag(task.created) } };
  }
}
