import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EntityManager } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { isDuplicateKeyError, RetryableTransactionError } from '../database/database-errors';
import { insertsReturnIds } from '../database/insert-returning-id';
import { TransactionRunner } from '../database/transaction-runner';
import { ApiException } from '../errors/api-exceptions';
import { ApiEndpoint, ApiTenantHeaders } from '../http/api-endpoint.decorator';
import { KnownId } from '../journey/found-or-created';
import { JourneyScope, requireNotBefore } from '../journey/journey-scope';
import { eventTime } from '../journey/tracked-object.columns';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { ServicesService } from '../services/services.service';
import { StatesService } from '../states/states.service';
import { TasksService } from '../tasks/tasks.service';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import {
  allFound,
  checkEventCount,
  checkNewServiceTimes,
  createdFlag,
  freshEvents,
  locationOf,
  lookupKeyOf,
  processingOrder,
  serviceKeyOf,
} from './composite-plan';
import { CompositeLookup, CompositeRepository } from './composite.repository';
import seedExample from './dto/composite-start.example.json';
import { CompositeEventDto, CompositeStartRequestDto } from './dto/composite-start-request.dto';
import { CompositeResultDto, CompositeStartResponseDto } from './dto/composite-start-response.dto';

/**
 * Composite start (docs/API.md §3), the operation every IVR step calls. The controller orchestrates the
 * services, states and tasks modules inside one transaction, following the plan of `composite-plan.ts`,
 * and answers with `Location` once the transaction has committed.
 */
@ApiTags('Composite')
@ApiTenantHeaders()
@Controller('services_composite')
export class CompositeController {
  private readonly maxEvents: number;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly composite: CompositeRepository,
    private readonly scope: JourneyScope,
    private readonly services: ServicesService,
    private readonly states: StatesService,
    private readonly tasks: TasksService,
    private readonly metrics: MetricsRecorder,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.maxEvents = config.COMPOSITE_MAX_EVENTS;
  }

  @Post('start')
  @ApiEndpoint({
    summary: 'Composite start of service, state and task',
    description:
      'For each event, finds the active service with exactly the same customer_id, service_type and contact_key ' +
      '(or creates it), then the active state of that type in it, then (when given) the active task of that type, ' +
      'creating whatever is missing. All events run in one transaction: all are stored or none.',
    type: CompositeStartResponseDto,
    body: { type: CompositeStartRequestDto, examples: { seed: seedExample } },
    location: {
      description:
        "The first event's task (/services/{id}/tasks/{id}), or its state when it had no task",
      example: '/genesys/1/cs/services/111222/tasks/555666',
    },
    errors: [400, 404, 409, 413, 415, 500, 503],
  })
  async start(
    @Tenant() tenant: TenantContext,
    @Body() body: CompositeStartRequestDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<CompositeStartResponseDto> {
    const events = body.services;
    checkEventCount(events, this.maxEvents);
    const now = Date.now();
    // One round trip finds what exists; most calls of a journey find everything and need no transaction.
    const lookups = await this.transactions.read((manager) =>
      this.composite.findActive(
        manager,
        events.map((event) => lookupKeyOf(tenant, event)),
      ),
    );
    const results =
      allFound(events, lookups) ??
      (await this.transactions.transaction((manager, attempt) =>
        // A retried attempt lost a race: what the lookup saw is stale, so it looks everything up again.
        this.startAll(manager, tenant, events, now, attempt === 1 ? lookups : undefined),
      ));
    this.metrics.compositeStarted(results);
    response.header('Location', locationOf(results[0]));
    return { services: results };
  }

  private async startAll(
    manager: EntityManager,
    tenant: TenantContext,
    events: CompositeEventDto[],
    now: number,
    lookups: CompositeLookup[] | undefined,
  ): Promise<CompositeResultDto[]> {
    const results: CompositeResultDto[] = new Array<CompositeResultDto>(events.length);
    const keys = events.map(serviceKeyOf);
    const order = processingOrder(keys);
    const fresh =
      lookups && insertsReturnIds(manager) ? freshEvents(events, keys, lookups, order) : [];
    for (const index of fresh) checkNewServiceTimes(events[index], index, now);
    const created =
      fresh.length > 0
        ? await this.createFresh(
            manager,
            tenant,
            fresh.map((i) => events[i]),
            now,
          )
        : undefined;
    created?.forEach((result, i) => (results[fresh[i]] = result));
    // A concurrent request created one of the fresh services since the lookup, which is therefore stale:
    // every event goes the one-at-a-time way, which looks again and waits for or finds the winner's rows.
    const hints = fresh.length > 0 && !created ? undefined : lookups;
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
    if (events.length === 1 && this.composite.startsFreshInOneCall(manager)) {
      return this.createOneFresh(manager, tenant, events[0], now);
    }
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
    const taskIdOf = new Map(withTask.map((i, t) => [i, taskIds[t]]));
    return events.map((_, i) => allCreated(serviceIds[i], stateIds[i], taskIdOf.get(i)));
  }

  /**
   * The same for a single event, in one statement instead of three: the rows its three modules build, which
   * the composite routine inserts. Undefined, with nothing stored, when a concurrent request created the
   * service first.
   */
  private async createOneFresh(
    manager: EntityManager,
    tenant: TenantContext,
    event: CompositeEventDto,
    now: number,
  ): Promise<CompositeResultDto[] | undefined> {
    try {
      const ids = await this.composite.startFresh(manager, {
        service: this.services.columnsToStart(tenant, event.service, now),
        state: this.states.columnsToStart(tenant, event.state, now),
        task: event.task && this.tasks.columnsToStart(tenant, event.task, now),
        taskInState: event.associate_state_task === true,
      });
      return [allCreated(ids.serviceId, ids.stateId, ids.taskId)];
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
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
    const lock = () =>
      (touched ??= service.created
        ? Promise.resolve()
        : this.lockFoundService(manager, service.id, now));
    // A state or task may not start before its service (time runs forwards). Without a timestamp of its
    // own it starts now, which no stored start is after: only an explicit one needs the service's start.
    let serviceStart: Promise<number> | undefined;
    const beforeCreate = (child: 'state' | 'task') => async () => {
      await lock();
      const own = event[child]!;
      if (own.timestamp === undefined) return;
      serviceStart ??= service.created
        ? Promise.resolve(eventTime(event.service, now))
        : this.scope.serviceStartedAt(manager, service.id);
      try {
        requireNotBefore(eventTime(own, now), await serviceStart, "the service's start");
      } catch (error) {
        throw error instanceof ApiException ? error.within(child) : error;
      }
    };

    const state = await this.states.findOrStart(manager, tenant, service.id, event.state, now, {
      beforeCreate: beforeCreate('state'),
      known: service.created ? null : inLookedUpService ? hint.stateId : undefined,
    });
    const result: CompositeResultDto = {
      service: { service_id: service.id, created: createdFlag(service.created) },
      state: { state_id: state.id, created: createdFlag(state.created) },
    };
    if (!event.task) return result;

    let taskStateId: number | null = null;
    let known: KnownId = service.created ? null : inLookedUpService ? hint.taskId : undefined;
    if (event.associate_state_task) {
      taskStateId = state.id;
      if (state.created) known = null;
      else if (state.id !== hint?.stateId) known = undefined;
    } else if (event.task.state_id !== undefined) {
      known = undefined;
      await this.scope.requireStateToStart(manager, service.id, event.task.state_id);
      taskStateId = event.task.state_id;
    }
    const task = await this.tasks.findOrStart(
      manager,
      tenant,
      service.id,
      taskStateId,
      event.task,
      now,
      { beforeCreate: beforeCreate('task'), known },
    );
    return { ...result, task: { task_id: task.id, created: createdFlag(task.created) } };
  }

  private async lockFoundService(
    manager: EntityManager,
    serviceId: number,
    now: number,
  ): Promise<void> {
    if (!(await this.scope.touchService(manager, serviceId, now))) {
      throw new RetryableTransactionError(`service ${serviceId} was completed during the request`);
    }
  }
}

/** The answer for an event whose service, state and task (when it has one) were all created. */
function allCreated(serviceId: number, stateId: number, taskId?: number): CompositeResultDto {
  const result: CompositeResultDto = {
    service: { service_id: serviceId, created: 'true' },
    state: { state_id: stateId, created: 'true' },
  };
  if (taskId !== undefined) result.task = { task_id: taskId, created: 'true' };
  return result;
}
