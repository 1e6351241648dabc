import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig, appConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { cascadedCompletion } from '../common/tracked-object.mapper';
import { ServicesService } from '../services/services.service';
import { StatesService } from '../states/states.service';
import { TasksService } from '../tasks/tasks.service';

export interface SweepResult {
  expired: number;
  autoCompleted: number;
}

/**
 * Deletes expired services (API.md §6.3) and completes services inactive for too long (§6.4), every
 * SWEEP_INTERVAL, in batches of SWEEP_BATCH_SIZE, each batch one short transaction. Safe with any number of
 * instances sweeping at once: deleting an already deleted service does nothing, and a service is completed
 * only by the sweep whose UPDATE finds it still active.
 */
@Injectable()
export class SweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sweeper');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly services: ServicesService,
    private readonly states: StatesService,
    private readonly tasks: TasksService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sweepIntervalMs === 0) return;
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.logger.error('sweep failed', (error as Error).stack),
      );
    }, this.config.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One full sweep; a sweep already under way in this instance is joined rather than doubled. */
  sweep(): Promise<SweepResult> {
    this.running ??= this.sweepAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(): Promise<SweepResult> {
    const result = {
      expired: await this.deleteExpired(),
      autoCompleted: await this.autoComplete(),
    };
    if (result.expired + result.autoCompleted > 0) {
      this.logger.log(
        `deleted ${result.expired} expired and auto-completed ${result.autoCompleted} services`,
      );
    }
    return result;
  }

  private async deleteExpired(): Promise<number> {
    const limit = this.config.SWEEP_BATCH_SIZE;
    let total = 0;
    for (;;) {
      const deleted = await this.transactions.transaction((m) =>
        this.services.deleteExpired(m, Date.now(), limit),
      );
      total += deleted;
      if (deleted < limit) return total;
    }
  }

  private async autoComplete(): Promise<number> {
    const limit = this.config.SWEEP_BATCH_SIZE;
    let total = 0;
    for (;;) {
      const ids = await this.transactions.read((m) =>
        this.services.autoCompleteDueIds(m, Date.now(), limit),
      );
      for (const id of ids) {
        if (await this.autoCompleteOne(id)) total += 1;
      }
      if (ids.length < limit) return total;
    }
  }

  /** Completes the service with its states and tasks, unless another sweep got there first. */
  private autoCompleteOne(id: number): Promise<boolean> {
    return this.transactions.transaction(async (m) => {
      const completion = await this.services.autoComplete(m, id, Date.now());
      if (!completion) return false;
      await this.tasks.completeActiveOfService(m, id, cascadedCompletion(completion));
      await this.states.completeActiveOfService(m, id, cascadedCompletion(completion));
      return true;
    });
  }
}
