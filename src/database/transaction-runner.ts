import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { transientReasonOf } from './database-errors';
import { EmbeddedStore } from './embedded-store';

export type Work<T> = (manager: EntityManager) => Promise<T>;

/** Runs one promise-returning task at a time, in call order. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export const MAX_TRANSACTION_ATTEMPTS = 5;

/**
 * The single way the modules reach the database. Each request's writes run in one transaction that is
 * retried whole when it loses a lock race (deadlock, lock wait timeout), with jittered back-off.
 *
 * On MySQL/MariaDB transactions run at READ COMMITTED, so a row inserted and committed by a concurrent
 * request is visible to the SELECT that follows a duplicate-key error. The embedded sql.js engine has a
 * single connection: every unit of work, reads included, is queued so that no two ever interleave.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly embeddedQueue: SerialQueue | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly embeddedStore: EmbeddedStore,
    private readonly metrics: MetricsRecorder,
  ) {
    this.embeddedQueue = dataSource.options.type === 'sqljs' ? new SerialQueue() : undefined;
  }

  /** Runs `work` in a transaction; everything it wrote is committed together or not at all. */
  async transaction<T>(work: Work<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.serialised(async () => {
          if (!this.embeddedQueue) return this.dataSource.transaction('READ COMMITTED', work);
          const result = await this.dataSource.transaction(work);
          await this.embeddedStore.persist();
          return result;
        });
      } catch (error) {
        const reason = transientReasonOf(error);
        if (!reason || attempt >= MAX_TRANSACTION_ATTEMPTS) throw error;
        this.metrics.transactionRetried(reason);
        const delay = Math.round(Math.random() * 10 * 2 ** attempt);
        this.logger.debug(
          `transaction attempt ${attempt} lost a lock race (${reason}); retrying in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Runs read-only `work` outside a transaction (still queued on the embedded engine). */
  read<T>(work: Work<T>): Promise<T> {
    return this.serialised(() => work(this.dataSource.manager));
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    return this.embeddedQueue ? this.embeddedQueue.run(task) : task();
  }
}
