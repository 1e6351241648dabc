import { Connection, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.factory';
import { parseDatabaseUrl } from '../../src/database/database-url';
import { connectTo } from './floor';

/** The bench only ever drops databases named like this, so a mistyped URL cannot destroy real data. */
const BENCH_DATABASE = /^cs_bench\w*$/;

function benchDatabaseOf(databaseUrl: string): string {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind === 'embedded')
    throw new Error('the bench needs a MariaDB or MySQL DATABASE_URL');
  if (!BENCH_DATABASE.test(target.database)) {
    throw new Error(
      `refusing to use database ${target.database}: its name must start with cs_bench`,
    );
  }
  return target.database;
}

/** Drops and re-creates the database, then applies the migrations: the schema the service runs on. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const name = benchDatabaseOf(databaseUrl);
  const server = new URL(databaseUrl);
  server.pathname = '/mysql';
  const admin = await connectTo(server.toString());
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(
    dataSourceOptions({ DATABASE_URL: databaseUrl, DB_POOL_SIZE: 1, MIGRATIONS_RUN: true }),
  );
  await dataSource.initialize();
  await dataSource.destroy();
}

export async function withDatabase<T>(
  databaseUrl: string,
  work: (db: Connection) => Promise<T>,
): Promise<T> {
  benchDatabaseOf(databaseUrl);
  const db = await connectTo(databaseUrl);
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

export async function scalar(db: Connection, sql: string, values: unknown[] = []): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(sql, values);
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}

export interface DuplicateCheck {
  what: string;
  duplicateKeys: number;
}

/**
 * Keys with more than one active row: composite-created services (active_marker = 1) by match key, active
 * states by service and type, active tasks by scope and type. Each must be 0 after any run.
 */
export async function findDuplicates(db: Connection): Promise<DuplicateCheck[]> {
  const checks: [string, string][] = [
    [
      'services by key',
      `SELECT COUNT(*) FROM (SELECT 1 FROM services WHERE completed_at IS NULL AND active_marker = 1
         GROUP BY tenant_id, customer_id, service_type, contact_key HAVING COUNT(*) > 1) d`,
    ],
    [
      'states by service and type',
      `SELECT COUNT(*) FROM (SELECT 1 FROM states WHERE completed_at IS NULL
         GROUP BY service_id, state_type HAVING COUNT(*) > 1) d`,
    ],
    [
      'tasks by scope and type',
      `SELECT COUNT(*) FROM (SELECT 1 FROM tasks WHERE completed_at IS NULL
         GROUP BY service_id, state_scope, task_type HAVING COUNT(*) > 1) d`,
    ],
  ];
  const results: DuplicateCheck[] = [];
  for (const [what, sql] of checks) results.push({ what, duplicateKeys: await scalar(db, sql) });
  return results;
}

/** Up to `count` ids of active services spread over the whole table, for the read scenario. */
export async function sampleServiceIds(db: Connection, count: number): Promise<number[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT id FROM services WHERE completed_at IS NULL ORDER BY RAND() LIMIT ?',
    [count],
  );
  return rows.map((row) => Number(row.id));
}
