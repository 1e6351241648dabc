import { performance } from 'node:perf_hooks';
import {
  Connection,
  ConnectionOptions,
  createConnection,
  PoolConnection,
  ResultSetHeader,
  RowDataPacket,
} from 'mysql2/promise';
import { parseDatabaseUrl, serverConnectionOptions } from '../../src/database/database-url';
import { Measurement, percentile } from './measurement';
import {
  KeySource,
  MEDIA_TYPE,
  SERVICE_EXTENSIONS,
  SERVICE_TYPE,
  STATE_EXTENSIONS,
  STATE_TYPE,
  TASK_TYPE,
  TENANT,
} from './workload';

/** How the bench's own clients (the floor, the bare server) connect: as the service does. */
export function connectionOptions(databaseUrl: string): ConnectionOptions {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind === 'embedded')
    throw new Error('the bench needs a MariaDB or MySQL DATABASE_URL');
  return serverConnectionOptions(target);
}

export function connectTo(databaseUrl: string): Promise<Connection> {
  return createConnection(connectionOptions(databaseUrl));
}

const ACTIVE_ORDER = 'AND completed_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1';

async function findId(
  db: Connection | PoolConnection,
  sql: string,
  values: unknown[],
): Promise<number | undefined> {
  const [rows] = await db.query<RowDataPacket[]>(sql, values);
  return rows.length > 0 ? Number(rows[0].id) : undefined;
}

async function insertId(
  db: Connection | PoolConnection,
  sql: string,
  values: unknown[],
): Promise<number> {
  const [result] = await db.query<ResultSetHeader>(sql, values);
  return result.insertId;
}

/** The ids of one event's service, state and task, and whether this event created each. */
export interface FloorResult {
  service: [id: number, created: boolean];
  state: [id: number, created: boolean];
  task: [id: number, created: boolean];
}

/** The id found, or one inserted then; and whether it was inserted. */
async function findOrInsert(
  find: () => Promise<number | undefined>,
  insert: () => Promise<number>,
) {
  const found = await find();
  return found === undefined ? ([await insert(), true] as const) : ([found, false] as const);
}

/**
 * One composite event's database work done the plainest way: in one READ COMMITTED transaction, look up the
 * service, state and task one after the other and insert whichever is missing, with the same rows the
 * service writes. No HTTP, no validation, no ORM: what the service is measured against (the floor, and the
 * bare server's work per event).
 */
export async function floorEvent(
  db: Connection | PoolConnection,
  customer: string,
  now: number,
): Promise<FloorResult> {
  await db.query('START TRANSACTION');
  try {
    const [serviceId, serviceCreated] = await findOrInsert(
      () =>
        findId(
          db,
          `SELECT id FROM services WHERE tenant_id = ? AND customer_id = ? AND service_type = ? AND contact_key = '' ${ACTIVE_ORDER}`,
          [TENANT, customer, SERVICE_TYPE],
        ),
      () =>
        insertId(
          db,
          `INSERT INTO services (tenant_id, customer_id, service_type, contact_key, active_marker, started_at,
             started_media_type, last_activity_at, extensions) VALUES (?, ?, ?, '', 1, ?, ?, ?, ?)`,
          [
            TENANT,
            customer,
            SERVICE_TYPE,
            now,
            MEDIA_TYPE,
            now,
            JSON.stringify(SERVICE_EXTENSIONS),
          ],
        ),
    );
    const [stateId, stateCreated] = await findOrInsert(
      () =>
        findId(
          db,
          `SELECT id FROM states WHERE service_id = ? AND state_type = ? ${ACTIVE_ORDER}`,
          [serviceId, STATE_TYPE],
        ),
      () =>
        insertId(
          db,
          `INSERT INTO states (tenant_id, service_id, state_type, active_marker, started_at, extensions)
             VALUES (?, ?, ?, 1, ?, ?)`,
          [TENANT, serviceId, STATE_TYPE, now, JSON.stringify(STATE_EXTENSIONS)],
        ),
    );
    const [taskId, taskCreated] = await findOrInsert(
      () =>
        findId(
          db,
          `SELECT id FROM tasks WHERE service_id = ? AND state_scope = ? AND task_type = ? ${ACTIVE_ORDER}`,
          [serviceId, stateId, TASK_TYPE],
        ),
      () =>
        insertId(
          db,
          `INSERT INTO tasks (tenant_id, service_id, state_id, state_scope, task_type, active_marker, started_at)
             VALUES (?, ?, ?, ?, ?, 1, ?)`,
          [TENANT, serviceId, stateId, stateId, TASK_TYPE, now],
        ),
    );
    await db.query('COMMIT');
    return {
      service: [serviceId, serviceCreated],
      state: [stateId, stateCreated],
      task: [taskId, taskCreated],
    };
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/** Runs the floor on `connections` connections for `seconds`, calling `onTick` with the running count. */
export async function runFloor(
  databaseUrl: string,
  connections: number,
  seconds: number,
  keys: KeySource,
  onTick: (requests: number) => void,
): Promise<Measurement> {
  const dbs = await Promise.all(Array.from({ length: connections }, () => connectTo(databaseUrl)));
  // Once per connection, as a tuned application would, rather than once per transaction.
  await Promise.all(
    dbs.map((db) => db.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')),
  );
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const ticker = setInterval(() => onTick(latencies.length), 1000);
  try {
    await Promise.all(
      dbs.map(async (db) => {
        while (performance.now() < end) {
          const began = performance.now();
          try {
            await floorEvent(db, keys.next(), Date.now());
            latencies.push(performance.now() - began);
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    clearInterval(ticker);
    await Promise.all(dbs.map((db) => db.end()));
  }
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds: elapsed,
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    max_ms: latencies.at(-1) ?? 0,
    non2xx: 0,
    errors,
    statuses: { '200': latencies.length },
  };
}
