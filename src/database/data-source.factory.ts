import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import { parseDatabaseUrl } from './database-url';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DataSourceSettings {
  DATABASE_URL?: string;
  DB_POOL_SIZE: number;
  MIGRATIONS_RUN: boolean;
}

/**
 * The one DataSource definition, shared by the application and the migration CLI. Nothing here ever
 * synchronises the schema: the migrations in `migrations/` are the only source of DDL. Entities are the
 * feature modules' own (the application loads them from TypeOrmModule.forFeature; the CLI lists them).
 */
export function dataSourceOptions(settings: DataSourceSettings, forCli = false): DataSourceOptions {
  const target = parseDatabaseUrl(settings.DATABASE_URL);
  const common = {
    migrations,
    migrationsRun: settings.MIGRATIONS_RUN,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false,
  };

  if (target.kind !== 'embedded') {
    return {
      ...common,
      type: target.kind,
      host: target.host,
      port: target.port,
      username: target.username,
      password: target.password,
      database: target.database,
      charset: 'utf8mb4_bin',
      timezone: 'Z',
      // Ids and epoch-millisecond timestamps fit in 2^53: keep them JS numbers.
      supportBigNumbers: true,
      bigNumberStrings: false,
      poolSize: settings.DB_POOL_SIZE,
      // An unreachable database must fail a request in seconds (503), not hang it.
      connectTimeout: 3000,
      // trace: false — mysql2 would otherwise capture a stack trace for every query, in case it fails;
      // failures are logged with the request that made them, so the capture is pure cost on the hot path.
      // jsonStrings: MariaDB marks JSON columns, and mysql2 would parse them with JSON.parse, rewriting the
      // numbers of extensions that the entity reads with their digits (docs/API.md §5).
      extra: { enableKeepAlive: true, queueLimit: 0, trace: false, jsonStrings: true },
    };
  }

  // The application persists the embedded file itself, atomically, after each committed transaction
  // (see EmbeddedStore); the CLI lets TypeORM save after its migrations.
  return target.file
    ? { ...common, type: 'sqljs', location: target.file, autoSave: forCli }
    : { ...common, type: 'sqljs' };
}
