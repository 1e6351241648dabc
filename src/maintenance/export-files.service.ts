import { HttpStatus, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { AppConfig, appConfig } from '../config/app-config';
import { ConfigurationError } from '../config/environment';
import { ApiException } from '../errors/api-exceptions';
import { ExportQueryDto } from '../services/dto/export-query.dto';
import { ServiceResponseDto } from '../services/dto/service-response.dto';
import { ServiceRetention } from '../services/service-retention.service';
import { TenantContext } from '../tenancy/tenant-context';
import { ExportFileSystem } from './export-file-system';
import { stringifyJson } from '../json/exact-json';

const KINDS = ['services', 'states', 'tasks'] as const;
/** The names `export` gives its files, finished or not: the only files pruning ever removes. */
const EXPORT_FILE =
  /^export-\d{8}T\d{6}-\d{3}Z-[0-9a-f]{8}-(services|states|tasks)\.jsonl(\.partial)?$/;
/** An unfinished file this old belongs to no running export (a crash left it). */
const PARTIAL_ABANDONED_MS = 24 * 3_600_000;
type Kind = (typeof KINDS)[number];

/** A file being written: its writes wait for the disk when it is behind, and fail with the file's error. */
class OpenFile {
  private error: Error | undefined;

  constructor(
    readonly partial: string,
    readonly final: string,
    private readonly stream: Writable,
  ) {
    stream.on('error', (error: Error) => (this.error ??= error));
  }

  async write(text: string): Promise<void> {
    this.check();
    if (!this.stream.write(text)) {
      await Promise.race([once(this.stream, 'drain'), once(this.stream, 'close')]);
    }
    this.check();
  }

  async end(): Promise<void> {
    this.check();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    this.check();
  }

  destroy(): void {
    this.stream.destroy();
  }

  private check(): void {
    if (this.error) throw this.error;
  }
}

/** One service of an export page, as its three files hold it: itself, its states, its tasks. */
function linesOf(service: ServiceResponseDto): Record<Kind, object[]> {
  const { active_states, completed_states, active_tasks, completed_tasks, ...own } = service;
  const id = { service_id: service.service_id };
  return {
    services: [own],
    states: [...(active_states ?? []), ...(completed_states ?? [])].map((s) => ({ ...id, ...s })),
    tasks: [...(active_tasks ?? []), ...(completed_tasks ?? [])].map((t) => ({ ...id, ...t })),
  };
}

/**
 * `POST /maintenance/services/files` (docs/API.md §6.5), Genesys's ExportServicesFile: the services an
 * export selects, with their states and tasks, as three JSON Lines files in EXPORT_DIR. Pages are written
 * as they are read, so memory stays flat; the files are written under a `.partial` name and renamed only
 * when all three are complete, so that a failed export leaves nothing under a final name.
 */
@Injectable()
export class ExportFilesService implements OnModuleInit {
  private readonly logger = new Logger('ExportFiles');
  private readonly directory: string;
  private readonly retentionMs: number;
  private readonly maxFiles: number;

  constructor(
    @Inject(appConfig.KEY) config: AppConfig,
    private readonly retention: ServiceRetention,
    private readonly files: ExportFileSystem,
  ) {
    this.directory = config.EXPORT_DIR;
    this.retentionMs = config.exportRetentionMs;
    this.maxFiles = config.EXPORT_MAX_FILES;
  }

  /** A directory that cannot take the files stops the boot, naming it, rather than failing every export. */
  async onModuleInit(): Promise<void> {
    const problem = await this.files.directoryProblem(this.directory);
    if (problem) throw new ConfigurationError(`EXPORT_DIR: ${problem}`);
  }

  /**
   * The sweeper's part (docs/API.md §6.5): removes export files older than EXPORT_RETENTION, then the
   * oldest past EXPORT_MAX_FILES, and unfinished ones left by a crash. Only files named as exports are ever
   * touched. How many it removed.
   */
  async prune(now = Date.now()): Promise<number> {
    const entries = await this.files.list(this.directory, (name) => EXPORT_FILE.test(name));
    const finished = entries.filter((entry) => !entry.name.endsWith('.partial'));
    // The list is oldest first: past EXPORT_MAX_FILES, the first finished files go.
    const overCount = new Set(finished.slice(0, Math.max(0, finished.length - this.maxFiles)));
    const doomed = entries.filter(
      (entry) =>
        overCount.has(entry) ||
        now - entry.modifiedAt > this.retentionMs ||
        (entry.name.endsWith('.partial') && now - entry.modifiedAt > PARTIAL_ABANDONED_MS),
    );
    for (const entry of doomed) await this.files.remove(join(this.directory, entry.name));
    return doomed.length;
  }

  /**
   * Writes the three files; their names, in the order services, states, tasks. None when the export selects
   * no service: nothing is written.
   */
  async export(tenant: TenantContext, query: ExportQueryDto): Promise<string[]> {
    const problem = await this.files.directoryProblem(this.directory);
    if (problem) {
      this.logger.error(`export refused: EXPORT_DIR ${problem}`);
      throw new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        `the export directory cannot take files (${problem}); nothing was written`,
      );
    }
    // export-20261201T204512-345Z-9f86d081: unique per call, letters, digits, - and . only.
    const moment = new Date().toISOString().replace(/[-:]/g, '').replace('.', '-');
    const stem = `export-${moment}-${randomBytes(4).toString('hex')}`;
    const open = Object.fromEntries(
      KINDS.map((kind) => {
        const final = join(this.directory, `${stem}-${kind}.jsonl`);
        const partial = `${final}.partial`;
        return [kind, new OpenFile(partial, final, this.files.create(partial))];
      }),
    ) as Record<Kind, OpenFile>;
    try {
      const services = await this.writeAll(tenant, query, open);
      if (services === 0) {
        await this.discard(open);
        return [];
      }
      for (const kind of KINDS) await this.files.rename(open[kind].partial, open[kind].final);
      return KINDS.map((kind) => open[kind].final.slice(this.directory.length + 1));
    } catch (error) {
      await this.discard(open);
      if (error instanceof ApiException) throw error;
      this.logger.error(`export to ${this.directory} failed`, (error as Error).stack);
      throw new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'the export files could not be written; none was kept, and the export may be retried',
      );
    }
  }

  private async writeAll(
    tenant: TenantContext,
    query: ExportQueryDto,
    open: Record<Kind, OpenFile>,
  ): Promise<number> {
    const whole = Object.assign(new ExportQueryDto(), query, { export_content: true });
    let after: number | undefined = 0;
    let services = 0;
    while (after !== undefined) {
      const page = await this.retention.exportPage(tenant, whole, after);
      services += page.items.length;
      for (const service of page.items as ServiceResponseDto[]) {
        const lines = linesOf(service);
        for (const kind of KINDS) {
          for (const line of lines[kind]) await open[kind].write(`${stringifyJson(line)}\n`);
        }
      }
      after = page.nextAfter;
    }
    for (const kind of KINDS) await open[kind].end();
    return services;
  }

  /** Closes and removes every file of a failed export, under both names. */
  private async discard(open: Record<Kind, OpenFile>): Promise<void> {
    for (const kind of KINDS) {
      open[kind].destroy();
      await this.files.remove(open[kind].partial);
      await this.files.remove(open[kind].final);
    }
  }
}
