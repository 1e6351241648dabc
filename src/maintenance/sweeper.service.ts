import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig, appConfig } from '../config/app-config';
import { ServiceRetention } from '../services/service-retention.service';
import { ExportFilesService } from './export-files.service';

export interface SweepResult {
  expired: number;
  autoCompleted: number;
  exportFilesRemoved: number;
}

/**
 * Every SWEEP_INTERVAL, deletes expired services (docs/API.md §6.3) and completes services inactive for too
 * long (§6.4), through ServiceRetention, and removes old export files (§6.5). Safe with any number of instances sweeping at once: deleting an
 * already deleted service does nothing, and a service is completed only by the sweep that finds it still due.
 */
@Injectable()
export class SweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sweeper');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly retention: ServiceRetention,
    private readonly exportFiles: ExportFilesService,
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
      expired: await this.retention.deleteExpired(),
      autoCompleted: await this.retention.autoCompleteDue(),
      exportFilesRemoved: await this.exportFiles.prune(),
    };
    if (result.expired + result.autoCompleted > 0) {
      this.logger.log(
        `deleted ${result.expired} expired and auto-completed ${result.autoCompleted} services`,
      );
    }
    if (result.exportFilesRemoved > 0) {
      this.logger.log(
        `removed ${result.exportFilesRemoved} export files past EXPORT_RETENTION or EXPORT_MAX_FILES`,
      );
    }
    return result;
  }
}
