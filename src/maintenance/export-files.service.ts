import { HttpStatus, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
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
import { ExportFilesQueryDto } from './dto/export-files-query.dto';
import { ExportFileSystem } from './export-file-system';
import {
  EXPORT_FILE_FORMATS,
  EXPORT_KINDS,
  type ExportFileFormat,
  type ExportKind,
} from './export-formats';

/**
 * The names `export` gives its files, finished or not, in Genesys's shape
 * (`export20261201_204512_345_services.json`), and the names of earlier versions
 * (`export-20261201T204512-345Z-9f86d081-services.jsonl`): the only files pruning ever removes.
 */
const EXPORT_FILE =
  /^export(\d{8}_\d{6}_\d{3}_(services|states|tasks)\.(json|csv)|-\d{8}T\d{6}-\d{3}Z-[0-9a-f]{8}-(services|states|tasks)\.jsonl)(\.partial)?$/;
/** An unfinished file this old belongs to no running export (a crash left it). */
const PARTIAL_ABANDONED_MS = 24 * 3_600_000;
/** Exports sharing a millisecond take the next free ones; this many taken in a row is no clock's doing. */
const NAME_ATTEMPTS = 1_000;

/** Genesys's stem for a moment, in UTC: export20261201_204512_345. */
function stemAt(ms: number): string {
  const [date, time] = new Date(ms).toISOString().split('T');
  const [clock, millis] = time.slice(0, -1).split('.');
  return `export${date.replaceAll('-', '')}_${clock.replaceAll(':', '')}_${millis}`;
}

/** Another export holds the name: try the next millisecond. */
class NameTaken extends Error {}

/** A file being written: its writes wait for the disk when it is behind, and fail with the file's error. */
class OpenFile {
  private error: Error | undefined;
  /** Renamed to its final name: only then is the final name this export's to remove. */
  named = false;

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
      // The listener of the event that did not happen is removed, or every wait would leave one behind.
      const settled = new AbortController();
      const { signal } = settled;
      try {
        await Promise.race([
          once(this.stream, 'drain', { signal }),
          once(this.stream, 'close', { signal }),
        ]);
      } finally {
        settled.abort();
      }
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
function linesOf(service: ServiceResponseDto): Record<ExportKind, Record<string, unknown>[]> {
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
 * export selects, with their states and tasks, as three files in EXPORT_DIR (JSON Lines or CSV). Pages are written
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
  async export(tenant: TenantContext, query: ExportFilesQueryDto): Promise<string[]> {
    const problem = await this.files.directoryProblem(this.directory);
    if (problem) {
      this.logger.error(`export refused: EXPORT_DIR ${problem}`);
      throw new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        `the export directory cannot take files (${problem}); nothing was written`,
      );
    }
    const { format = 'json', ...selection } = query;
    const writer = EXPORT_FILE_FORMATS[format];
    let open: Record<ExportKind, OpenFile> | undefined;
    try {
      open = await this.reserve(writer);
      const services = await this.writeAll(tenant, selection, open, writer);
      if (services === 0) {
        await this.discard(open);
        return [];
      }
      for (const kind of EXPORT_KINDS) {
        await this.files.rename(open[kind].partial, open[kind].final);
        open[kind].named = true;
      }
      const files = open;
      return EXPORT_KINDS.map((kind) => files[kind].final.slice(this.directory.length + 1));
    } catch (error) {
      if (open) await this.discard(open);
      if (error instanceof ApiException) throw error;
      this.logger.error(`export to ${this.directory} failed`, (error as Error).stack);
      throw new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'the export files could not be written; none was kept, and the export may be retried',
      );
    }
  }

  /**
   * The three files of this export, opened under the names of the current millisecond, or of the next
   * free one when another export took it (in this process, another instance or a rerun within the same
   * millisecond).
   */
  private async reserve(writer: ExportFileFormat): Promise<Record<ExportKind, OpenFile>> {
    const now = Date.now();
    for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
      const open = await this.openAll(stemAt(now + attempt), writer);
      if (open) return open;
    }
    throw new Error(`${NAME_ATTEMPTS} export names in a row were taken in ${this.directory}`);
  }

  /** The three files under `stem`, or undefined (nothing left behind) when another export holds a name. */
  private async openAll(
    stem: string,
    writer: ExportFileFormat,
  ): Promise<Record<ExportKind, OpenFile> | undefined> {
    const open: Partial<Record<ExportKind, OpenFile>> = {};
    try {
      for (const kind of EXPORT_KINDS) {
        const final = join(this.directory, `${stem}_${kind}.${writer.extension}`);
        const partial = `${final}.partial`;
        open[kind] = new OpenFile(partial, final, await this.files.create(partial));
        // Checked once the partial name is ours: an export of the same stem that finished before has its
        // final name by now, and one still running holds the partial name, so none can be overwritten.
        if (await this.files.exists(final)) throw new NameTaken();
      }
      return open as Record<ExportKind, OpenFile>;
    } catch (error) {
      for (const file of Object.values(open)) {
        file.destroy();
        await this.files.remove(file.partial);
      }
      if (error instanceof NameTaken || (error as NodeJS.ErrnoException).code === 'EEXIST') {
        return undefined;
      }
      throw error;
    }
  }

  private async writeAll(
    tenant: TenantContext,
    query: ExportQueryDto,
    open: Record<ExportKind, OpenFile>,
    writer: ExportFileFormat,
  ): Promise<number> {
    for (const kind of EXPORT_KINDS) {
      const head = writer.head(kind);
      if (head !== '') await open[kind].write(head);
    }
    const whole = Object.assign(new ExportQueryDto(), query, { export_content: true });
    let after: number | undefined = 0;
    let services = 0;
    while (after !== undefined) {
      const page = await this.retention.exportPage(tenant, whole, after);
      services += page.items.length;
      for (const service of page.items as ServiceResponseDto[]) {
        const lines = linesOf(service);
        for (const kind of EXPORT_KINDS) {
          for (const line of lines[kind]) await open[kind].write(writer.line(kind, line));
        }
      }
      after = page.nextAfter;
    }
    for (const kind of EXPORT_KINDS) await open[kind].end();
    return services;
  }

  /** Closes and removes every file of a failed or empty export, under the name it has. */
  private async discard(open: Record<ExportKind, OpenFile>): Promise<void> {
    for (const kind of EXPORT_KINDS) {
      open[kind].destroy();
      await this.files.remove(open[kind].named ? open[kind].final : open[kind].partial);
    }
  }
}
