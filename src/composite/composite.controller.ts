import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EntityManager } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { ApiException } from '../errors/api-exceptions';
import { ApiEndpoint, ApiTenantHeaders } from '../http/api-endpoint.decorator';
import { JourneyScope } from '../journey/journey-scope';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { ServicesService } from '../services/services.service';
import { StatesService } from '../states/states.service';
import { TasksService } from '../tasks/tasks.service';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import {
  allCreated,
  allFound,
  checkEventCount,
  checkNewServiceTimes,
  createdFlag,
  freshEvents,
  locationOf,
  lookupKeyOf,
  processingOrder,
  serviceKeyOf,
  taskPlacement,
} from './composite-plan';
import { CompositeLookup, CompositeRepository } from './composite.repository';
import { serviceGuard } from './service-guard';
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
      lookups && this.composite.insertsFresh(manager)
        ? freshEvents(events, keys, lookups, order)
        : [];
    for (const index of fresh) checkNewServiceTimes(events[index], index, now);
    const created = await this.createFresh(manager, tenant, fresh, events, now);
    created?.forEach((result, i) => (results[fresh[i]] = result));
    // A concurrent request created one of the fresh services since the lookup, which is therefore stale:
    // every event goes the one-at-a-time way, which looks again and waits for or finds the winner's rows.
    const hints = created ? lookups : undefined;
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
   * Creates the service, state and task of the events at `fresh` (which start from nothing, see
   * `freshEvents`): the three modules build the rows, the composite repository writes them the engine's
   * quickest way. Undefined, with nothing stored, when a concurrent request created one of the services first.
   */
  private async createFresh(
    manager: EntityManager,
    tenant: TenantContext,
    fresh: number[],
    events: CompositeEventDto[],
    now: number,
  ): Promise<CompositeResultDto[] | undefined> {
    if (fresh.length === 0) return [];
    const ids = await this.composite.insertFresh(
      manager,
      fresh.map((i) => ({
        service: this.services.compositeRow(tenant, events[i].service, now),
        state: this.states.compositeRow(tenant, events[i].state, now),
        task: events[i].task && this.tasks.compositeRow(tenant, events[i].task, now),
        taskInState: events[i].associate_state_task === true,
      })),
    );
    return ids?.map(allCreated);
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
    const beforeCreate = serviceGuard(this.scope, manager, service, event, now);

    const state = await this.states.findOrStart(manager, tenant, service.id, event.state, now, {
      beforeCreate: beforeCreate('state'),
      known: service.created ? null : inLookedUpService ? hint.stateId : undefined,
    });
    const result: CompositeResultDto = {
      service: { service_id: service.id, created: createdFlag(service.created) },
      state: { state_id: state.id, created: createdFlag(state.created) },
    };
    if (!event.task) return result;

    const placement = taskPlacement(event, service, state, hint);
    if (placement.namedState) {
      await this.scope.requireStateToStart(manager, service.id, placement.stateId!);
    }
    const task = await this.tasks.findOrStart(
      manager,
      tenant,
      service.id,
      placement.stateId,
      event.task,
      now,
      { beforeCreate: beforeCreate('task'), known: placement.known },
    );
    return { ...result, task: { task_id: task.id, created: createdFlag(task.created) } };
  }
}
