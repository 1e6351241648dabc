import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig, appConfig } from '../config/app-config';
import { ReportReads } from '../database/report-reads';
import { expiryBounds, liveServiceSql, positional } from '../journey/service-expiry';
import { activeSql } from '../journey/activity-sql';

export interface StatsWindow {
  tenantId: string;
  /** Inclusive, a multiple of `bucketMs` (UTC). */
  from: number;
  /** Exclusive. */
  to: number;
  bucketMs: number;
  serviceTypes?: string[];
}

export interface BucketCount {
  serviceType: string;
  bucket: number;
  count: number;
  /** Of the services counted, those active now (only for starts). */
  active: number;
}

export interface TypePercentiles {
  serviceType: string;
  p50: number;
  p90: number;
}

export interface DispositionCount {
  disposition: string;
  count: number;
}

type Row = Record<string, string | number | null>;
type TimeColumn = 'started_at' | 'completed_at';

/** How many dispositions the statistics name. */
const TOP_DISPOSITIONS = 10;

/**
 * The statistics queries over `services` (docs/API.md §6.8), in SQL that MariaDB, MySQL and SQLite all run:
 * buckets by `at - ((at - from) % bucket)`, nearest-rank percentiles by window functions and integer
 * comparisons (no CEIL, no division). Each reads one range of an index that covers it:
 * `ix_services_tenant_started` for starts, `ix_services_tenant_completed` for completions. Expired services
 * are left out, as everywhere (§6.3).
 */
@Injectable()
export class ServiceStatsRepository {
  private readonly defaultExpirationMs: number | undefined;

  constructor(
    @Inject(appConfig.KEY) config: AppConfig,
    private readonly reads: ReportReads,
  ) {
    this.defaultExpirationMs = config.defaultExpirationMs;
  }

  /** Services started in the window, per type and bucket, with how many of them are active now. */
  async started(manager: EntityManager, window: StatsWindow, now: number): Promise<BucketCount[]> {
    const rows = await this.select(
      manager,
      { column: 'started_at', window, now, leading: [window.from, window.bucketMs] },
      (where) =>
        `SELECT service_type, started_at - ((started_at - ?) % ?) AS bucket, COUNT(*) AS n,
                SUM(CASE WHEN ${activeSql()} THEN 1 ELSE 0 END) AS active
         FROM services s WHERE ${where} GROUP BY service_type, bucket`,
    );
    return rows.map((row) => ({
      serviceType: String(row.service_type),
      bucket: Number(row.bucket),
      count: Number(row.n),
      active: Number(row.active),
    }));
  }

  /** Services completed in the window, per type and bucket. */
  async completed(
    manager: EntityManager,
    window: StatsWindow,
    now: number,
  ): Promise<BucketCount[]> {
    const rows = await this.select(
      manager,
      { column: 'completed_at', window, now, leading: [window.from, window.bucketMs] },
      (where) =>
        `SELECT service_type, completed_at - ((completed_at - ?) % ?) AS bucket, COUNT(*) AS n
         FROM services s WHERE ${where} GROUP BY service_type, bucket`,
    );
    return rows.map((row) => ({
      serviceType: String(row.service_type),
      bucket: Number(row.bucket),
      count: Number(row.n),
      active: 0,
    }));
  }

  /**
   * The median and 90th percentile duration of the services completed in the window, per type: the
   * nearest-rank value, the smallest rank n with n ≥ p × total, written as n·q ≥ total·p·q and
   * (n − 1)·q < total·p·q for integers (p = 1/2 and 9/10).
   */
  async durationPercentiles(
    manager: EntityManager,
    window: StatsWindow,
    now: number,
  ): Promise<TypePercentiles[]> {
    const rows = await this.select(
      manager,
      { column: 'completed_at', window, now },
      (where) => `SELECT service_type, duration,
              CASE WHEN n * 2 >= total AND (n - 1) * 2 < total THEN 1 ELSE 0 END AS is_p50,
              CASE WHEN n * 10 >= total * 9 AND (n - 1) * 10 < total * 9 THEN 1 ELSE 0 END AS is_p90
       FROM (SELECT service_type, completed_at - started_at AS duration,
                    ROW_NUMBER() OVER (PARTITION BY service_type ORDER BY completed_at - started_at) AS n,
                    COUNT(*) OVER (PARTITION BY service_type) AS total
             FROM services s WHERE ${where}) ranked
       WHERE (n * 2 >= total AND (n - 1) * 2 < total) OR (n * 10 >= total * 9 AND (n - 1) * 10 < total * 9)`,
    );
    const byType = new Map<string, TypePercentiles>();
    for (const row of rows) {
      const serviceType = String(row.service_type);
      const entry = byType.get(serviceType) ?? { serviceType, p50: 0, p90: 0 };
      if (Number(row.is_p50) === 1) entry.p50 = Number(row.duration);
      if (Number(row.is_p90) === 1) entry.p90 = Number(row.duration);
      byType.set(serviceType, entry);
    }
    return [...byType.values()];
  }

  /** The most frequent dispositions of the services completed in the window. */
  async dispositions(
    manager: EntityManager,
    window: StatsWindow,
    now: number,
  ): Promise<DispositionCount[]> {
    const rows = await this.select(
      manager,
      { column: 'completed_at', window, now },
      (where) => `SELECT disposition, COUNT(*) AS n FROM services s
       WHERE ${where} AND disposition IS NOT NULL
       GROUP BY disposition ORDER BY n DESC, disposition LIMIT ${TOP_DISPOSITIONS}`,
    );
    return rows.map((row) => ({ disposition: String(row.disposition), count: Number(row.n) }));
  }

  /**
   * Runs `sql` with its WHERE condition (the tenant, `column` inside the window, the types asked for, not
   * expired); `leading` are the values of placeholders before it.
   */
  private select(
    manager: EntityManager,
    scope: { column: TimeColumn; window: StatsWindow; now: number; leading?: unknown[] },
    sql: (where: string) => string,
  ): Promise<Row[]> {
    const values = [...(scope.leading ?? [])];
    const where = this.where(scope.column, scope.window, scope.now, values);
    return manager.query(this.reads.limited(sql(where)), values);
  }

  /** The tenant, `column` inside the window, the types asked for, and not expired. */
  private where(column: TimeColumn, window: StatsWindow, now: number, values: unknown[]): string {
    values.push(window.tenantId, window.from, window.to);
    const types = window.serviceTypes?.length
      ? ` AND s.service_type IN (${window.serviceTypes.map(() => '?').join(', ')})`
      : '';
    values.push(...(window.serviceTypes ?? []));
    const live = liveServiceSql(
      's',
      expiryBounds(now, this.defaultExpirationMs),
      positional(values),
    );
    return `s.tenant_id = ? AND s.${column} >= ? AND s.${column} < ?${types} AND ${live}`;
  }
}
