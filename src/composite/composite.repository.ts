import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { isDuplicateKeyError } from '../database/database-errors';
import {
  columnValues,
  insertReturningIds,
  insertsReturnIds,
} from '../database/insert-returning-id';
import { ExpiryBounds, expiryBounds, liveServiceSql, positional } from '../journey/service-expiry';
import { activeSql, LATEST_FIRST } from '../journey/activity-sql';

/** What one composite event looks for. */
export interface CompositeLookupKey {
  tenantId: string;
  customerId: string;
  serviceType: string;
  contactKey: string;
  stateType: string;
  /** The task type, when the task can be looked up with the service and state (see CompositeRepository). */
  taskType?: string;
  /** The task is looked for in the found state (associate_state_task), else among the service's own. */
  taskInState: boolean;
}

/** The active service, state and task an event names, as far as they exist; null where one does not. */
export interface CompositeLookup {
  serviceId: number | null;
  stateId: number | null;
  taskId: number | null;
}

const LATEST = `${activeSql()} ORDER BY ${LATEST_FIRST} LIMIT 1`;

/**
 * One event's lookup: the latest active, unexpired service with the key, its latest active state of the
 * type, and the latest active task of the type in that state (or among the service's own tasks). The same
 * choices as the three modules' own finds, in one statement. Placeholders follow `parametersOf`.
 */
function eventLookupSql(key: CompositeLookupKey, live: string): string {
  const scope = key.taskInState ? 'e.state_id' : '0';
  const task = key.taskType
    ? `(SELECT id FROM tasks WHERE service_id = e.service_id AND state_scope = ${scope} AND task_type = ? AND ${LATEST})`
    : 'NULL';
  return (
    `SELECT ? AS i, e.service_id, e.state_id, ${task} AS task_id FROM (` +
    `SELECT s.id AS service_id, (SELECT id FROM states WHERE service_id = s.id AND state_type = ? AND ${LATEST}) AS state_id ` +
    `FROM services s WHERE tenant_id = ? AND customer_id = ? AND service_type = ? AND contact_key = ? AND ` +
    `${live} AND ` +
    `${LATEST}) e`
  );
}

function parametersOf(
  index: number,
  key: CompositeLookupKey,
  liveParameters: unknown[],
): unknown[] {
  return [
    index,
    ...(key.taskType ? [key.taskType] : []),
    key.stateType,
    key.tenantId,
    key.customerId,
    key.serviceType,
    key.contactKey,
    ...liveParameters,
  ];
}

const idOrNull = (value: number | string | null) => (value === null ? null : Number(value));

/**
 * The arguments of the `composite_start_fresh` routine (migration CompositeStartRoutine1764460800000), by
 * the database columns they fill, in its order. A spec on MariaDB holds this list to the routine's own.
 */
const START_ARGUMENTS = [
  'tenant_id',
  'group_id',
  'est_duration',
  'started_at',
  'disposition',
  'disposition_desc',
  'extensions',
  'started_session_id',
  'started_interaction_id',
  'started_application_type',
  'started_application_id',
  'started_resource_type',
  'started_resource_id',
  'started_media_type',
] as const;
export const ROUTINE_ARGUMENTS = {
  service: [
    ...START_ARGUMENTS,
    'customer_id',
    'service_type',
    'contact_key',
    'expires_at',
    'auto_complete_after',
    'last_activity_at',
  ],
  state: [...START_ARGUMENTS, 'state_type'],
  task: [...START_ARGUMENTS, 'task_type'],
} as const;

/**
 * What the routine sets itself rather than taking as an argument: the new rows' parent ids, and the
 * columns the modules' composite rows hold constant (active, no previous state). A spec holds these and
 * ROUTINE_ARGUMENTS together to the columns the rows of `compositeRow` set, so that a column added to a row
 * builder and not to the routine fails it.
 */
export const ROUTINE_SETS = {
  service: ['active_marker'],
  state: ['service_id', 'active_marker', 'previous_state_id'],
  task: ['service_id', 'state_id', 'state_scope', 'active_marker'],
} as const;

/**
 * One event whose service, state and task are all new, as their modules build the rows (`compositeRow`):
 * the state's and the task's once their parents' ids are known.
 */
export interface FreshJourney {
  service: ObjectLiteral;
  state: (serviceId: number) => ObjectLiteral;
  task?: (serviceId: number, stateId: number | null) => ObjectLiteral;
  /** The task belongs to the new state (associate_state_task), else to the service alone. */
  taskInState: boolean;
}

export interface FreshIds {
  serviceId: number;
  stateId: number;
  /** Absent when the event has no task. */
  taskId?: number;
}

@Injectable()
export class CompositeRepository {
  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}

  /**
   * Looks up every event's service, state and task in one round trip. Reading needs no transaction at READ
   * COMMITTED: each statement sees the latest committed rows, inside a transaction or not.
   */
  async findActive(manager: EntityManager, keys: CompositeLookupKey[]): Promise<CompositeLookup[]> {
    const liveParameters: unknown[] = [];
    const live = liveServiceSql('s', this.bounds(), positional(liveParameters));
    const sql = keys.map((key) => eventLookupSql(key, live)).join(' UNION ALL ');
    const rows = await manager.query<
      {
        i: number | string;
        service_id: number | string;
        state_id: number | string | null;
        task_id: number | string | null;
      }[]
    >(
      sql,
      keys.flatMap((key, index) => parametersOf(index, key, liveParameters)),
    );
    const found: CompositeLookup[] = keys.map(() => ({
      serviceId: null,
      stateId: null,
      taskId: null,
    }));
    for (const row of rows) {
      found[Number(row.i)] = {
        serviceId: Number(row.service_id),
        stateId: idOrNull(row.state_id),
        taskId: idOrNull(row.task_id),
      };
    }
    return found;
  }

  /** Whether `insertFresh` can run here: every INSERT answers its ids (not on MySQL 8). */
  insertsFresh(manager: EntityManager): boolean {
    return insertsReturnIds(manager);
  }

  /**
   * Inserts the service, state and task of every journey, inside the caller's transaction, the engine's
   * quickest way: one journey on MariaDB is one CALL of the composite routine (its three INSERTs, each with
   * the id of the one before); otherwise one multi-row INSERT per table, whatever the number of journeys.
   * Undefined, having stored nothing, when a concurrent request created one of the services first.
   */
  async insertFresh(
    manager: EntityManager,
    journeys: FreshJourney[],
  ): Promise<FreshIds[] | undefined> {
    try {
      return journeys.length === 1 && manager.connection.driver.options.type === 'mariadb'
        ? [await this.callRoutine(manager, journeys[0])]
        : await this.insertLevels(manager, journeys);
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
  }

  private async insertLevels(
    manager: EntityManager,
    journeys: FreshJourney[],
  ): Promise<FreshIds[]> {
    const serviceIds = await insertReturningIds(
      manager,
      'services',
      journeys.map((journey) => journey.service),
    );
    const stateIds = await insertReturningIds(
      manager,
      'states',
      journeys.map((journey, i) => journey.state(serviceIds[i])),
    );
    const withTask = journeys.flatMap((journey, i) => (journey.task ? [i] : []));
    const taskIds = await insertReturningIds(
      manager,
      'tasks',
      withTask.map((i) =>
        journeys[i].task!(serviceIds[i], journeys[i].taskInState ? stateIds[i] : null),
      ),
    );
    const taskIdOf = new Map(withTask.map((i, t) => [i, taskIds[t]]));
    return journeys.map((_, i) => ({
      serviceId: serviceIds[i],
      stateId: stateIds[i],
      taskId: taskIdOf.get(i),
    }));
  }

  private async callRoutine(manager: EntityManager, journey: FreshJourney): Promise<FreshIds> {
    // The rows with placeholder parents: the routine takes only ROUTINE_ARGUMENTS and sets the rest.
    const task = journey.task?.(0, journey.taskInState ? 0 : null);
    const args = [
      ...columnValues(manager, 'services', journey.service, ROUTINE_ARGUMENTS.service),
      ...columnValues(manager, 'states', journey.state(0), ROUTINE_ARGUMENTS.state),
      ...(task
        ? columnValues(manager, 'tasks', task, ROUTINE_ARGUMENTS.task)
        : ROUTINE_ARGUMENTS.task.map(() => null)),
      journey.taskInState ? 1 : 0,
    ];
    const [[ids]] = await manager.query<
      [
        [
          {
            service_id: number | string;
            state_id: number | string;
            task_id: number | string | null;
          },
        ],
      ]
    >(`CALL composite_start_fresh(${args.map(() => '?').join(', ')})`, args);
    return {
      serviceId: Number(ids.service_id),
      stateId: Number(ids.state_id),
      taskId: ids.task_id === null ? undefined : Number(ids.task_id),
    };
  }

  private bounds(): ExpiryBounds {
    return expiryBounds(Date.now(), this.config.defaultExpirationMs);
  }
}
