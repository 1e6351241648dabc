import { createConnection } from 'mysql2/promise';
import { parseDatabaseUrl } from '../../src/database/database-url';

/**
 * Where the e2e tests run: `TEST_DATABASE_URL` (a MariaDB/MySQL URL) or, by default, a fresh in-memory
 * embedded database per application. On MariaDB/MySQL each Jest worker gets a database of its own
 * (`<name>_w<worker>`), so that parallel test files never see each other's rows.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export const onServerDatabase =
  TEST_DATABASE_URL !== undefined && !TEST_DATABASE_URL.startsWith('sqlite:');

export function workerDatabaseUrl(): string {
  if (!onServerDatabase) return TEST_DATABASE_URL ?? 'sqlite::memory:';
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `${url.pathname}_w${process.env.JEST_WORKER_ID ?? '1'}`;
  return url.toString();
}

async function adminConnection(url: string) {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'embedded') throw new Error('not a server database');
  const connection = await createConnection({
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
  });
  return { connection, database: target.database };
}

export async function ensureDatabase(url: string): Promise<void> {
  const { connection, database } = await adminConnection(url);
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
  } finally {
    await connection.end();
  }
}

/** An empty database of that name, whatever was there before. */
export async function recreateDatabase(url: string): Promise<void> {
  const { connection, database } = await adminConnection(url);
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
  await ensureDatabase(url);
}

/** Drops the per-worker databases a previous run left behind. */
export async function dropWorkerDatabases(url: string): Promise<void> {
  const { connection, database } = await adminConnection(url);
  try {
    const [rows] = await connection.query<({ name: string } & import('mysql2').RowDataPacket)[]>(
      'SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ?',
      [`${database}\\_w%`],
    );
    for (const { name } of rows) await connection.query(`DROP DATABASE \`${name}\``);
  } finally {
    await connection.end();
  }
}
