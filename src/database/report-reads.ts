import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { TransactionRunner } from './transaction-runner';

/**
 * Where aggregate and export reads run (docs/API.md §6.8, README "Reads beside writes"): on a server, a pool
 * of their own (DB_READ_POOL_SIZE connections, opened on first use), so that however many dashboards ask for
 * statistics at once, the writers' pool (DB_POOL_SIZE) is never theirs to take; each such statement is cut
 * off by the server after DB_READ_TIMEOUT_MS (`limited`). The embedded engine has one connection and one
 * queue: reads go through the TransactionRunner there, as every read does.
 */
@Injectable()
export class ReportReads implements OnApplicationShutdown {
  private pool: Promise<DataSource> | undefined;
  private readonly poolSize: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.poolSize = config.DB_READ_POOL_SIZE;
    this.timeoutMs = config.DB_READ_TIMEOUT_MS;
  }

  /** Runs read-only `work` on the report pool (on the embedded engine, in the one queue). */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'sqljs') return this.transactions.read(work);
    return work((await this.reportPool()).manager);
  }

  /**
   * `sql`, a SELECT, with the server's statement time limit: past it the server stops the statement and it
   * fails with ER_STATEMENT_TIMEOUT (MariaDB) or ER_QUERY_TIMEOUT (MySQL), answered 503.
   */
  limited(sql: string): string {
    switch (this.dataSource.options.type) {
      case 'mariadb':
        return `SET STATEMENT max_statement_time = ${this.timeoutMs / 1000} FOR ${sql}`;
      case 'mysql':
        return sql.replace(/^\s*SELECT\b/i, `SELECT /*+ MAX_EXECUTION_TIME(${this.timeoutMs}) */`);
      default:
        return sql;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const pool = await this.pool?.catch(() => undefined);
    if (pool?.isInitialized) await pool.destroy();
  }

  private reportPool(): Promise<DataSource> {
    this.pool ??= new DataSource({
      ...this.dataSource.options,
      poolSize: this.poolSize,
      migrationsRun: false,
    } as DataSourceOptions)
      .initialize()
      .catch((error: unknown) => {
        // The next read tries again: the database may be back by then.
        this.pool = undefined;
        throw error;
      });
    return this.pool;
  }
}
