import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server as HttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { validateEnvironment } from '../../src/config/environment';
import { configureApp } from '../../src/configure-app';
import { createHttpAdapter } from '../../src/http/http-adapter';
import { ensureDatabase, onServerDatabase, workerDatabaseUrl } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  server: App;
  dataSource: DataSource;
  /** Serves the app on a free loopback port (for real clients: browsers, fetch); returns its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Another database URL than the test run's (e.g. through a proxy). */
  databaseUrl?: string;
  /** Environment variables for this application (the database URL is chosen by the test run). */
  env?: Record<string, string>;
  /** Replace providers, e.g. to inject a database fault. */
  override?: (builder: ReturnType<typeof Test.createTestingModule>) => void;
}

/** Where test applications write export files (POST /maintenance/services/files), never the work tree. */
export const TEST_EXPORT_DIR = join(tmpdir(), `cs-test-exports-${process.pid}`);

/**
 * A real application, through the same `configureApp` as production, on the test database. On the embedded
 * engine each application has its own in-memory database; on MariaDB/MySQL all applications of a Jest
 * worker share that worker's database (which is what lets two instances race in the concurrency tests).
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const url = options.databaseUrl ?? workerDatabaseUrl();
  if (onServerDatabase && !options.databaseUrl) await ensureDatabase(url);
  const app = await withEnvironment(
    { DATABASE_URL: url, LOG_LEVEL: 'silent', EXPORT_DIR: TEST_EXPORT_DIR, ...options.env },
    async () => {
      // The HTTP server first, as main.ts builds it: a setting it refuses stops the boot before the
      // module opens any database connection.
      const adapter = createHttpAdapter(validateEnvironment(process.env));
      const builder = Test.createTestingModule({ imports: [AppModule] });
      options.override?.(builder);
      const moduleRef = await builder.compile();
      const created = moduleRef.createNestApplication<NestFastifyApplication>(adapter, {
        bodyParser: false,
      });
      configureApp(created);
      // A boot refused after the database opened (a bad EXPORT_DIR) must not leave its pool open.
      await created.init().catch(async (error: unknown) => {
        await created.close().catch(() => undefined);
        throw error;
      });
      // Fastify loads its plugins (security headers, static files) when it is ready, which listen() awaits.
      await created.getHttpAdapter().getInstance().ready();
      return created;
    },
  );
  return {
    app,
    server: app.getHttpServer() as App,
    dataSource: app.get(DataSource),
    listen: async () => {
      await app.listen(0, '127.0.0.1');
      const server = app.getHttpServer() as unknown as Server;
      const scheme = server instanceof HttpsServer ? 'https' : 'http';
      return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => app.close(),
  };
}

/** Runs `work` with extra environment variables, restoring the previous values afterwards. */
async function withEnvironment<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** A key part unique to one test, so tests sharing a database never match each other's services. */
/**
 * A moment `minutes` before now. Tests on a server database share it with the files run before and after
 * them, whose sweeps (expiry after DEFAULT_EXPIRATION, auto-complete after an hour of idleness) act on every
 * tenant: history made by a test stays within the last half hour so that no other file's sweep takes it.
 */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export function uniqueId(prefix = 'c'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Row counts of the three tables, to prove that a rejected request wrote nothing (one query). */
export async function rowCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const tables = ['services', 'states', 'tasks'];
  const [row] = await dataSource.query<Record<string, number | string>[]>(
    `SELECT ${tables.map((table) => `(SELECT COUNT(*) FROM ${table}) AS ${table}`).join(', ')}`,
  );
  return Object.fromEntries(tables.map((table) => [table, Number(row[table])]));
}
