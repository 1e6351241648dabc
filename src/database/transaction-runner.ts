import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { RetriesExhaustedError, RetryReason, transientReasonOf } from './database-errors';
import { EmbeddedStore } from './embedded-store';

/** A unit of work; `attempt` counts from 1, and a later attempt runs after an earlier one lost a race. */
export type Work<T> = (manager: EntityManager, attempt: number) => Promise<T>;

/** Runs one promise-returning task at a time, in call order. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The first back-off and the longest one: full jitter under an exponential ceiling. */
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 250;

export type RetrySettings = Pick<AppConfig, 'DB_RETRY_ATTEMPTS' | 'DB_RETRY_BUDGET_MS'>;

/**
 * The single way the modules reach the database. Each request's writes run in one transaction that is
 * retried whole when it loses a lock race (deadlock, lock wait timeout), with jittered exponential back-off,
 * at most DB_RETRY_ATTEMPTS times within DB_RETRY_BUDGET_MS; past that it fails with
 * RetriesExhaustedError, a 503 (a multi-primary cluster reports its conflicts the same way).
 *
 * On MySQL/MariaDB transactions run at READ COMMITTED, so a row inserted and committed by a concurrent
 * request is visible to the SELECT that follows a duplicate-key error. The level is set once per pooled
 * connection, for its session, rather than before every transaction: that saves a round trip per request.
 * The embedded sql.js engine has a single connection: every unit of work, reads included, is queued so that
 * no two ever interleave.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly embeddedQueue: SerialQueue | undefined;
  /** The driver connections whose session is already at READ COMMITTED. */
  private readonly readCommittedSessions = new WeakSet<object>();
  private readonly retryListeners: ((reason: RetryReason) => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly embeddedStore: EmbeddedStore,
    @Inject(appConfig.KEY) private readonly retry: RetrySettings,
  ) {
    this.embeddedQueue = dataSource.options.type === 'sqljs' ? new SerialQueue() : undefined;
  }

  /** Tells `listener` why each retried transaction lost its race (the metrics count them). */
  onRetry(listener: (reason: RetryReason) => void): void {
    this.retryListeners.push(listener);
  }

  /** Runs `work` in a transaction; everything it wrote is committed together or not at all. */
  async transaction<T>(work: Work<T>): Promise<T> {
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.serialised(async () => {
          if (!this.embeddedQueue) return this.readCommittedTransaction(work, attempt);
          const result = await this.dataSource.transaction((manager) => work(manager, attempt));
          await this.embeddedStore.persist();
          return result;
        });
      } catch (error) {
        const reason = transientReasonOf(error);
        if (!reason) throw error;
        const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
        const delay = Math.round(Math.random() * ceiling);
        const spent = Date.now() - startedAt + delay;
        if (attempt >= this.retry.DB_RETRY_ATTEMPTS || spent > this.retry.DB_RETRY_BUDGET_MS) {
          this.logger.warn(`transaction gave up after ${attempt} attempts (${reason})`);
          throw new RetriesExhaustedError(reason, attempt);
        }
        for (const listener of this.retryListeners) listener(reason);
        this.logger.debug(
          `transaction attempt ${attempt} lost a lock race (${reason}); retrying in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Runs read-only `work` outside a transaction (still queued on the embedded engine). */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.serialised(() => work(this.dataSource.manager));
  }

  /** What `DataSource.transaction` does, with the isolation level set once per connection. */
  private async readCommittedTransaction<T>(work: Work<T>, attempt: number): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await this.useReadCommittedSession(runner);
      await runner.startTransaction();
      const result = await work(runner.manager, attempt);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) {
        // The original error matters; a failed rollback (say, on a lost connection) adds nothing to it.
        await runner.rollbackTransaction().catch(() => undefined);
      }
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async useReadCommittedSession(runner: QueryRunner): Promise<void> {
    const connection = (await runner.connect()) as object;
    if (this.readCommittedSessions.has(connection)) return;
    await runner.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    this.readCommittedSessions.add(connection);
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    return this.embeddedQueue ? this.embeddedQueue.run(task) : task();
  }
}
