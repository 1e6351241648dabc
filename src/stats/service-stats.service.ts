import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { ReportReads } from '../database/report-reads';
import { ValidationException } from '../errors/api-exceptions';
import { TenantContext } from '../tenancy/tenant-context';
import { parseIsoTimestamp } from '../validation/iso-timestamp';
import { Bucket, BUCKETS, ServiceStatsQueryDto } from './dto/service-stats-query.dto';
import { ServiceStatsResponseDto, ServiceTypeStatsDto } from './dto/service-stats-response.dto';
import { ServiceStatsRepository, StatsWindow } from './service-stats.repository';
import { SharedResults } from './shared-results';

/** The most buckets one answer may hold (docs/API.md §6.8): 400 hours, or 400 days. */
export const MAX_BUCKETS = 400;
/** The window when `from` is not given, by bucket: the last day by hour, the last 30 days by day. */
const DEFAULT_SPAN: Record<Bucket, number> = { '1h': 24 * BUCKETS['1h'], '1d': 30 * BUCKETS['1d'] };

const iso = (ms: number) => new Date(ms).toISOString();

/** The bucket a query asks for: hours unless it says days. */
export const bucketOf = (query: ServiceStatsQueryDto): Bucket => query.bucket ?? '1h';

/**
 * `GET /stats/services`: what a tenant's services did in a window — starts and completions per bucket, and
 * per service type the active, started and completed counts with duration percentiles, and the top
 * dispositions. The window is checked here (its bounds, its number of buckets); the counting is SQL.
 */
@Injectable()
export class ServiceStatsService {
  private readonly shared: SharedResults<ServiceStatsResponseDto>;

  constructor(
    private readonly repository: ServiceStatsRepository,
    private readonly reads: ReportReads,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.shared = new SharedResults(config.STATS_CACHE_MS);
  }

  /**
   * The answer to `query`, read on the report pool (ReportReads), never the writers'. Identical queries of a
   * tenant share one computation while it runs and its answer for STATS_CACHE_MS afterwards: a window that
   * ends now is then up to that old.
   */
  answer(
    tenant: TenantContext,
    query: ServiceStatsQueryDto,
    now: number,
  ): Promise<ServiceStatsResponseDto> {
    const window = this.window(tenant, query, now);
    const bucket = bucketOf(query);
    const key = JSON.stringify([
      tenant.tenantId,
      bucket,
      query.from ?? null,
      query.to ?? null,
      query.service_types ?? null,
    ]);
    return this.shared.get(key, () =>
      this.reads.read((manager) => this.compute(manager, window, bucket, now)),
    );
  }

  /** The window `query` asks for, or the ValidationException that says why it cannot be answered. */
  window(tenant: TenantContext, query: ServiceStatsQueryDto, now: number): StatsWindow {
    const bucket = bucketOf(query);
    const bucketMs = BUCKETS[bucket];
    const to = query.to === undefined ? now : parseIsoTimestamp(query.to)!;
    const asked =
      query.from === undefined ? to - DEFAULT_SPAN[bucket] : parseIsoTimestamp(query.from)!;
    if (asked >= to) throw ValidationException.of('from', 'must be before to');
    const from = Math.floor(asked / bucketMs) * bucketMs;
    const buckets = Math.ceil((to - from) / bucketMs);
    if (buckets > MAX_BUCKETS) {
      throw ValidationException.of(
        'to',
        `is ${buckets} buckets of ${bucket} after from; at most ${MAX_BUCKETS} are answered`,
      );
    }
    return { tenantId: tenant.tenantId, from, to, bucketMs, serviceTypes: query.service_types };
  }

  async compute(
    manager: EntityManager,
    window: StatsWindow,
    bucket: Bucket,
    now: number,
  ): Promise<ServiceStatsResponseDto> {
    // Four independent reads: on a server each takes a pooled connection of its own, side by side.
    const [started, completed, percentiles, dispositions] = await Promise.all([
      this.repository.started(manager, window, now),
      this.repository.completed(manager, window, now),
      this.repository.durationPercentiles(manager, window, now),
      this.repository.dispositions(manager, window, now),
    ]);

    const series = new Map<number, { started: number; completed: number }>();
    for (let start = window.from; start < window.to; start += window.bucketMs) {
      series.set(start, { started: 0, completed: 0 });
    }
    const types = new Map<string, ServiceTypeStatsDto>();
    const typeOf = (serviceType: string) => {
      let entry = types.get(serviceType);
      if (!entry) {
        entry = {
          service_type: serviceType,
          active: 0,
          started: 0,
          completed: 0,
          duration_ms: null,
        };
        types.set(serviceType, entry);
      }
      return entry;
    };
    for (const row of started) {
      series.get(row.bucket)!.started += row.count;
      const type = typeOf(row.serviceType);
      type.started += row.count;
      type.active += row.active;
    }
    for (const row of completed) {
      series.get(row.bucket)!.completed += row.count;
      typeOf(row.serviceType).completed += row.count;
    }
    for (const row of percentiles) {
      typeOf(row.serviceType).duration_ms = { p50: row.p50, p90: row.p90 };
    }
    return {
      from: iso(window.from),
      to: iso(window.to),
      bucket,
      series: [...series].map(([start, counts]) => ({ start: iso(start), ...counts })),
      by_type: [...types.values()].sort((a, b) =>
        a.service_type < b.service_type ? -1 : a.service_type > b.service_type ? 1 : 0,
      ),
      dispositions,
    };
  }
}
