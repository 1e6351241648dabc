import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral } from 'typeorm';
import { isDuplicateKeyError, isTooLargeForDatabase } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { ApiException } from '../errors/api-exceptions';
import { eventRecord } from '../journey/tracked-object.columns';
import { TenantContext } from '../tenancy/tenant-context';
import { extensionsOf } from '../validation/extensions';
import { parseIsoTimestamp } from '../validation/iso-timestamp';
import { RequestValidationPipe } from '../validation/request-validation.pipe';
import {
  ImportedObjectDto,
  ImportedServiceDto,
  ImportRefusalDto,
  ImportResultDto,
  ImportedMappingDto,
} from './dto/imported-service.dto';
import type { SourceItem } from './import-sources';
import { ActiveKey, ImportsRepository, keyText } from './imports.repository';

/** Services stored per transaction: few round trips, and a failure costs one small batch its retry. */
const BATCH = 200;
/** Refusals listed in an answer; past it they are only counted (`refused_count`). */
const MAX_LISTED_REFUSALS = 1000;

/** One service ready to store: its rows, and how its children refer to each other by source id. */
interface PlannedService {
  line: number;
  file?: string;
  sourceId: string;
  sourceKey: string;
  key: ActiveKey;
  active: boolean;
  service: ObjectLiteral;
  states: { sourceId: string; previous?: string; row: ObjectLiteral }[];
  tasks: { state?: string; row: ObjectLiteral }[];
}

export interface ImportOptions {
  /** Names the source, so that ids of two sources never meet: the source key is `<source>:<id>`. */
  source: string;
  /** Told of each service as soon as its batch is stored (the CLI writes them out as they come). */
  onStored?: (mapping: ImportedMappingDto) => void;
  /** Told of each refused line as it is refused (the CLI reports every one; the answer lists the first). */
  onRefused?: (refusal: ImportRefusalDto) => void;
  /** Keep the mappings in the result (the HTTP answer); the CLI streams them instead. */
  collectMappings: boolean;
}

const ms = (timestamp: string) => parseIsoTimestamp(timestamp) as number;

/**
 * Import of exported services (docs/API.md §6.5): each service of the source, with its states, tasks and
 * extensions, stored whole or not at all, under ids assigned here; a service imported before (same source
 * key) is found, not stored again; an active one may not shadow an active service of the same key. Bad
 * lines are refused with their reason and the rest goes on. The source is read as it comes, one batch at a
 * time, so memory stays flat whatever its size.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly repository: ImportsRepository,
    private readonly transactions: TransactionRunner,
    private readonly validation: RequestValidationPipe,
  ) {}

  async import(
    tenant: TenantContext,
    items: AsyncIterable<SourceItem>,
    options: ImportOptions,
  ): Promise<ImportResultDto> {
    const result: ImportResultDto = {
      imported: 0,
      already_imported: 0,
      refused_count: 0,
      services: [],
      refused: [],
    };
    const refuse = (refusal: ImportRefusalDto) => {
      options.onRefused?.(refusal);
      result.refused_count++;
      if (result.refused.length < MAX_LISTED_REFUSALS) result.refused.push(refusal);
    };
    const stored = (mapping: ImportedMappingDto) => {
      options.onStored?.(mapping);
      if (options.collectMappings) result.services.push(mapping);
    };
    let batch: PlannedService[] = [];
    for await (const item of items) {
      const where = placeOf(item);
      if ('problem' in item) {
        refuse({ ...where, reason: item.problem });
        if (item.fatal) break;
        continue;
      }
      const planned = this.plan(tenant, item.value, options.source);
      if (typeof planned === 'string') {
        refuse({ ...where, ...sourceIdOf(item.value), reason: planned });
        continue;
      }
      batch.push({ ...planned, ...where });
      if (batch.length >= BATCH) {
        await this.store(tenant, batch, result, stored, refuse);
        batch = [];
      }
    }
    await this.store(tenant, batch, result, stored, refuse);
    return result;
  }

  /** The rows of one source service, or why it cannot be imported. */
  private plan(
    tenant: TenantContext,
    value: unknown,
    source: string,
  ): Omit<PlannedService, 'line' | 'file'> | string {
    let dto: ImportedServiceDto;
    try {
      dto = this.validation.transform(value, {
        type: 'body',
        metatype: ImportedServiceDto,
      }) as ImportedServiceDto;
    } catch (error) {
      if (error instanceof ApiException) return error.message;
      throw error;
    }
    const states = inSourceOrder(
      [...(dto.active_states ?? []), ...(dto.completed_states ?? [])],
      (state) => state.state_id,
    );
    const tasks = inSourceOrder(
      [...(dto.active_tasks ?? []), ...(dto.completed_tasks ?? [])],
      (task) => task.task_id,
    );
    const stateIds = new Set(states.map((state) => state.state_id));
    if (stateIds.size < states.length) return 'two of its states have the same state_id';
    for (const state of states) {
      if (state.previous_state_id !== undefined && !stateIds.has(state.previous_state_id)) {
        return `state ${state.state_id}: previous_state_id ${state.previous_state_id} is not one of its states`;
      }
    }
    for (const task of tasks) {
      if (task.state_id !== undefined && !stateIds.has(task.state_id)) {
        return `task ${task.task_id}: state_id ${task.state_id} is not one of its states`;
      }
    }
    const objects: ImportedObjectDto[] = [dto, ...states, ...tasks];
    // Each timestamp read once (validation proved them all): what every row and the checks below need.
    const times = new Map(objects.map((object) => [object, timesOf(object)]));
    let lastActivityAt = 0;
    for (const { startedAt, completedAt } of times.values()) {
      if (completedAt !== null && completedAt < startedAt)
        return 'a completion is before its start';
      lastActivityAt = Math.max(lastActivityAt, completedAt ?? startedAt);
    }
    const columns = (object: ImportedObjectDto) => columnsOf(tenant, object, times.get(object)!);
    const key: ActiveKey = {
      customerId: dto.customer_id ?? '',
      serviceType: dto.service_type ?? '',
      contactKey: dto.contact_key ?? '',
    };
    const active = dto.completed === undefined;
    return {
      sourceId: dto.service_id,
      sourceKey: `${source}:${dto.service_id}`,
      key,
      active,
      service: {
        ...columns(dto),
        ...key,
        // Held like composite start's own: the unique key refuses a second active twin.
        activeMarker: active ? 1 : null,
        expiresAt: dto.expiration_time === undefined ? null : ms(dto.expiration_time),
        autoCompleteAfter: null,
        lastActivityAt,
      },
      states: states.map((state) => ({
        sourceId: state.state_id,
        previous: state.previous_state_id,
        row: {
          ...columns(state),
          stateType: state.state_type,
          previousStateId: null,
          activeMarker: null,
        },
      })),
      tasks: tasks.map((task) => ({
        state: task.state_id,
        row: {
          ...columns(task),
          taskType: task.task_type,
          activeMarker: null,
        },
      })),
    };
  }

  /**
   * Stores a batch in one transaction. When that fails for a reason one service can cause (a key another
   * request took meanwhile, a value the database finds too large), each service is stored in its own, so
   * that the failure is that service's alone.
   */
  private async store(
    tenant: TenantContext,
    batch: PlannedService[],
    result: ImportResultDto,
    stored: (mapping: ImportedMappingDto) => void,
    refuse: (refusal: ImportRefusalDto) => void,
  ): Promise<void> {
    if (batch.length === 0) return;
    try {
      const outcome = await this.transactions.transaction((manager) =>
        this.storeBatch(manager, tenant.tenantId, batch),
      );
      this.report(batch, outcome, result, stored, refuse);
      return;
    } catch (error) {
      const oneServiceCan = isDuplicateKeyError(error) || isTooLargeForDatabase(error);
      if (!oneServiceCan) throw error;
      if (batch.length === 1) {
        refuse({
          ...placeOf(batch[0]),
          source_service_id: batch[0].sourceId,
          reason: isDuplicateKeyError(error)
            ? 'a service stored meanwhile holds its key (an active service of the same key, or its source key): import it again to see which'
            : 'what it would store is larger than the database accepts',
        });
        return;
      }
    }
    for (const one of batch) await this.store(tenant, [one], result, stored, refuse);
  }

  private report(
    batch: PlannedService[],
    outcome: Outcome[],
    result: ImportResultDto,
    stored: (mapping: ImportedMappingDto) => void,
    refuse: (refusal: ImportRefusalDto) => void,
  ): void {
    batch.forEach((planned, i) => {
      const done = outcome[i];
      if ('refused' in done) {
        refuse({ ...placeOf(planned), source_service_id: planned.sourceId, reason: done.refused });
        return;
      }
      if (done.existing) result.already_imported++;
      else result.imported++;
      stored({ source_service_id: planned.sourceId, service_id: done.serviceId });
    });
  }

  private async storeBatch(
    manager: EntityManager,
    tenantId: string,
    batch: PlannedService[],
  ): Promise<Outcome[]> {
    const imported = await this.repository.findImported(
      manager,
      tenantId,
      batch.map((planned) => planned.sourceKey),
    );
    const active = await this.repository.findActive(
      manager,
      tenantId,
      batch.filter((planned) => planned.active).map((planned) => planned.key),
    );
    const outcome: Outcome[] = [];
    const fresh: { at: number; planned: PlannedService }[] = [];
    const seen = new Set<string>();
    const activeHere = new Set<string>();
    batch.forEach((planned, at) => {
      const existing = imported.get(planned.sourceKey);
      if (existing !== undefined || seen.has(planned.sourceKey)) {
        outcome[at] =
          existing !== undefined
            ? { serviceId: existing, existing: true }
            : { refused: `service_id ${planned.sourceId} comes twice in this source` };
        return;
      }
      seen.add(planned.sourceKey);
      if (planned.active) {
        const key = keyText(planned.key);
        const holder = active.get(key);
        if (holder !== undefined || activeHere.has(key)) {
          outcome[at] = {
            refused:
              (holder !== undefined
                ? `it is active, and so is service ${holder} here`
                : 'it is active, and so is a service before it in this source') +
              ' with the same key (customer_id, service_type, contact_key): composite start continues one active service per key',
          };
          return;
        }
        activeHere.add(key);
      }
      fresh.push({ at, planned });
    });
    const serviceIds = await this.repository.insert(
      manager,
      'services',
      fresh.map(({ planned }) => planned.service),
    );
    await this.repository.recordSources(
      manager,
      tenantId,
      fresh.map(({ planned }, i) => ({ serviceId: serviceIds[i], sourceKey: planned.sourceKey })),
    );
    const states = fresh.flatMap(({ planned }, i) =>
      planned.states.map((state) => ({ serviceId: serviceIds[i], state })),
    );
    const stateIds = await this.repository.insert(
      manager,
      'states',
      states.map(({ serviceId, state }) => ({ ...state.row, serviceId })),
    );
    // Source state id → id here, per service (source ids are only unique within their service).
    const stateIdOf = new Map<number, Map<string, number>>();
    states.forEach(({ serviceId, state }, i) => {
      let ofService = stateIdOf.get(serviceId);
      if (!ofService) stateIdOf.set(serviceId, (ofService = new Map<string, number>()));
      ofService.set(state.sourceId, stateIds[i]);
    });
    await this.repository.linkPreviousStates(
      manager,
      states.flatMap(({ serviceId, state }, i): [number, number][] =>
        state.previous === undefined
          ? []
          : [[stateIds[i], stateIdOf.get(serviceId)!.get(state.previous)!]],
      ),
    );
    await this.repository.insert(
      manager,
      'tasks',
      fresh.flatMap(({ planned }, i) =>
        planned.tasks.map((task) => {
          const stateId =
            task.state === undefined ? null : stateIdOf.get(serviceIds[i])!.get(task.state)!;
          return { ...task.row, serviceId: serviceIds[i], stateId, stateScope: stateId ?? 0 };
        }),
      ),
    );
    fresh.forEach(({ at }, i) => (outcome[at] = { serviceId: serviceIds[i], existing: false }));
    return outcome;
  }
}

/** Where a line was, as a refusal names it: its line, and its file when the source has several. */
const placeOf = ({
  line,
  file,
}: {
  line: number;
  file?: string;
}): { line: number; file?: string } => (file ? { line, file } : { line });

type Outcome = { serviceId: number; existing: boolean } | { refused: string };

/**
 * States or tasks in the order the source created them: an export lists the active ones, then the
 * completed ones, each by id; where the source ids are integers (ours, Genesys's) they are stored in id order,
 * so that the new ids keep the source's order, and whatever breaks a tie of start times by id (composite
 * start's "latest active") chooses as the source did. Other ids keep the order of the file.
 */
function inSourceOrder<T>(objects: T[], idOf: (object: T) => string): T[] {
  if (!objects.every((object) => /^\d+$/.test(idOf(object)))) return objects;
  const key = (object: T) => idOf(object).replace(/^0+(?=\d)/, '');
  return [...objects].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  });
}

function sourceIdOf(value: unknown): { source_service_id?: string } {
  const id = (value as { service_id?: unknown } | null)?.service_id;
  return typeof id === 'string' || typeof id === 'number' ? { source_service_id: String(id) } : {};
}

interface Times {
  startedAt: number;
  completedAt: number | null;
}

function timesOf(object: ImportedObjectDto): Times {
  return {
    startedAt: ms(object.started.timestamp),
    completedAt: object.completed ? ms(object.completed.timestamp) : null,
  };
}

/** The columns every level has, from an imported object (its undeclared keys are its extensions). */
function columnsOf(
  tenant: TenantContext,
  dto: ImportedObjectDto,
  { startedAt, completedAt }: Times,
): ObjectLiteral {
  const extensions = extensionsOf(dto);
  return {
    tenantId: tenant.tenantId,
    groupId: tenant.groupId ?? null,
    startedAt,
    started: eventRecord(dto.started),
    completedAt,
    completed: eventRecord(dto.completed ?? {}),
    estDuration: dto.est_duration ?? null,
    disposition: dto.disposition ?? null,
    dispositionDesc: dto.disposition_desc ?? null,
    extensions: Object.keys(extensions).length > 0 ? extensions : null,
  };
}
