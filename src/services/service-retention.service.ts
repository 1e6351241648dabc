import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { ReportReads } from '../database/report-reads';
import { TransactionRunner } from '../database/transaction-runner';
import { TenantContext } from '../tenancy/tenant-context';
import { parseIsoTimestamp } from '../validation/iso-timestamp';
import { ExportQueryDto } from './dto/export-query.dto';
import { PURGE_OPERATIONS, PurgeRequestDto } from './dto/purge.dto';
import { ServiceReader, WHOLE_SERVICE } from './service-reader.service';
import { ServicesRepository } from './services.repository';
import { ServicesService } from './services.service';

/** Services per page of an export: what one query reads and one write sends. */
const EXPORT_PAGE = 200;

/** One page of an export: ids or whole services, and where the next page starts (none after the last). */
export interface ExportPage {
  items: unknown[];
  nextAfter?: number;
}

/**
 * How services leave (docs/API.md §6.3–§6.5): expiry and auto-complete for the sweeper, purge and export for
 * the maintenance API. Bulk work runs in batches of SWEEP_BATCH_SIZE, each its own short transaction, so
 * that no sweep or purge holds locks for long, and any number of instances may run them at once.
 */
@Injectable()
export class ServiceRetention {
  private readonly batch: number;

  constructor(
    @Inject(appConfig.KEY) config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly reports: ReportReads,
    private readonly repository: ServicesRepository,
    private readonly services: ServicesService,
    private readonly reader: ServiceReader,
  ) {
    this.batch = config.SWEEP_BATCH_SIZE;
  }

  /** Deletes every expired service with everything in it; how many. */
  deleteExpired(): Promise<number> {
    return this.inBatches(async (manager, limit) =>
      this.repository.deleteMany(
        manager,
        await this.repository.expiredIds(manager, Date.now(), limit),
      ),
    );
  }

  /** Completes every service due for auto-completion, each in its own transaction; how many. */
  async autoCompleteDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.transactions.read((manager) =>
        this.repository.autoCompleteDueIds(manager, Date.now(), this.batch),
      );
      for (const id of ids) {
        const completed = await this.transactions.transaction((manager) =>
          this.services.autoComplete(manager, id, Date.now()),
        );
        if (completed) total += 1;
      }
      if (ids.length < this.batch) return total;
    }
  }

  /** `POST /maintenance/purge`: deletes the tenant's services the operation selects; how many. */
  purge(tenant: TenantContext, body: PurgeRequestDto): Promise<number> {
    const before = parseIsoTimestamp(body.limit)!;
    const scope = PURGE_OPERATIONS[body.operation];
    return this.inBatches(async (manager, limit) =>
      this.repository.deleteMany(
        manager,
        await this.repository.purgeableIds(manager, tenant.tenantId, scope, before, limit),
      ),
    );
  }

  /** One page of `GET /maintenance/services/stream`, after the service id `after` (keyset paging). */
  exportPage(tenant: TenantContext, query: ExportQueryDto, after: number): Promise<ExportPage> {
    const filter = {
      from: parseIsoTimestamp(query.time_from)!,
      to: query.time_to === undefined ? undefined : parseIsoTimestamp(query.time_to),
      events: query.filter_events ?? 'any',
      state: query.filter_state ?? 'any',
    };
    return this.reports.read(async (manager) => {
      const services = await this.repository.exportPage(
        manager,
        tenant.tenantId,
        filter,
        after,
        EXPORT_PAGE,
      );
      const items = query.export_content
        ? await this.reader.represent(manager, services, WHOLE_SERVICE)
        : services.map((service) => service.id);
      return services.length < EXPORT_PAGE ? { items } : { items, nextAfter: services.at(-1)!.id };
    });
  }

  /** Runs `step` in one transaction per batch until a batch does less than a full batch; the total. */
  private async inBatches(
    step: (manager: EntityManager, limit: number) => Promise<number>,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await this.transactions.transaction((manager) => step(manager, this.batch));
      total += done;
      if (done < this.batch) return total;
    }
  }
}
