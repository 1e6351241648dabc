import { Provider, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource, EntityManager } from 'typeorm';
import { appConfig, AppConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source.factory';
import { EmbeddedStore } from '../../src/database/embedded-store';
import { ReportReads } from '../../src/database/report-reads';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { JourneyScope } from '../../src/journey/journey-scope';
import { ServiceEntity } from '../../src/services/service.entity';
import { ServiceReader } from '../../src/services/service-reader.service';
import { ServiceRetention } from '../../src/services/service-retention.service';
import { ServicesRepository } from '../../src/services/services.repository';
import { ServicesService } from '../../src/services/services.service';
import { StateEntity } from '../../src/states/state.entity';
import { StatesRepository } from '../../src/states/states.repository';
import { StatesService } from '../../src/states/states.service';
import { TaskEntity } from '../../src/tasks/task.entity';
import { TasksRepository } from '../../src/tasks/tasks.repository';
import { TasksService } from '../../src/tasks/tasks.service';
import { CompositeRepository } from '../../src/composite/composite.repository';
import { ExtensionsPolicy } from '../../src/validation/extensions.policy';
import {
  ensureDatabase,
  onServerDatabase,
  recreateDatabase,
  workerDatabaseUrl,
} from './test-database';

/** The settings the journey providers read, with the defaults of the environment schema. */
export type TestbedConfig = Pick<
  AppConfig,
  | 'COMPOSITE_MAX_EVENTS'
  | 'EXTENSION_MAX_BYTES'
  | 'EXTENSION_MAX_DEPTH'
  | 'SWEEP_BATCH_SIZE'
  | 'LIFECYCLE'
  | 'DB_RETRY_ATTEMPTS'
  | 'DB_RETRY_BUDGET_MS'
  | 'MAX_STATES_PER_SERVICE'
  | 'MAX_TASKS_PER_SERVICE'
  | 'NESTED_READ_LIMIT'
  | 'DB_READ_POOL_SIZE'
  | 'DB_READ_TIMEOUT_MS'
  | 'defaultExpirationMs'
  | 'autoCompleteAfterMs'
>;

const DEFAULTS: TestbedConfig = {
  COMPOSITE_MAX_EVENTS: 100,
  EXTENSION_MAX_BYTES: 65536,
  EXTENSION_MAX_DEPTH: 16,
  SWEEP_BATCH_SIZE: 500,
  LIFECYCLE: 'genesys',
  DB_RETRY_ATTEMPTS: 10,
  DB_RETRY_BUDGET_MS: 3000,
  MAX_STATES_PER_SERVICE: 1000,
  MAX_TASKS_PER_SERVICE: 1000,
  NESTED_READ_LIMIT: 1000,
  DB_READ_POOL_SIZE: 2,
  DB_READ_TIMEOUT_MS: 10_000,
  defaultExpirationMs: undefined,
  autoCompleteAfterMs: undefined,
};

export interface TestbedExtras {
  controllers?: Type<unknown>[];
  providers?: Provider[];
  /**
   * On MariaDB/MySQL, an empty database of the worker's own with this suffix instead of the shared one: for
   * code that works on every tenant at once (the sweeps), which would otherwise meet the other tests' rows.
   */
  ownDatabase?: string;
}

export interface JourneyTestbed {
  dataSource: DataSource;
  transactions: TransactionRunner;
  /** The engine: `sqljs` (embedded), `mariadb` or `mysql`. */
  engine: string;
  get<T>(type: Type<T>): T;
  /** Runs `work` in one transaction, as a controller does. */
  inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The middle floor of the tests: the real journey services and repositories, without HTTP, on a real
 * database: a fresh in-memory embedded one, or the Jest worker's MariaDB/MySQL database when
 * TEST_DATABASE_URL is set (shared with the e2e tests of that worker, so tests scope their rows by tenant,
 * unless they ask for a database of their own).
 */
export async function createJourneyTestbed(
  config: Partial<TestbedConfig> = {},
  extra: TestbedExtras = {},
): Promise<JourneyTestbed> {
  let url = workerDatabaseUrl();
  if (onServerDatabase && extra.ownDatabase) {
    url = `${url}_${extra.ownDatabase}`;
    await recreateDatabase(url);
  } else if (onServerDatabase) await ensureDatabase(url);
  const dataSource = await new DataSource({
    ...dataSourceOptions({ DATABASE_URL: url, DB_POOL_SIZE: 4, MIGRATIONS_RUN: true }),
    entities: [ServiceEntity, StateEntity, TaskEntity],
  }).initialize();
  const moduleRef = await Test.createTestingModule({
    controllers: extra.controllers ?? [],
    providers: [
      ...(extra.providers ?? []),
      { provide: DataSource, useValue: dataSource },
      { provide: appConfig.KEY, useValue: { ...DEFAULTS, ...config } },
      EmbeddedStore,
      TransactionRunner,
      ReportReads,
      JourneyScope,
      ExtensionsPolicy,
      TasksRepository,
      TasksService,
      StatesRepository,
      StatesService,
      ServicesRepository,
      ServicesService,
      ServiceReader,
      ServiceRetention,
      CompositeRepository,
    ],
  }).compile();
  const transactions = moduleRef.get(TransactionRunner);
  return {
    dataSource,
    transactions,
    engine: dataSource.options.type,
    get: (type) => moduleRef.get(type),
    inTransaction: (work) => transactions.transaction((manager) => work(manager)),
    close: async () => {
      await moduleRef.close();
      await dataSource.destroy();
    },
  };
}
