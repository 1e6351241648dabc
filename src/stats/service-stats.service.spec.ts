import { AppConfig } from '../config/app-config';
import { ReportReads } from '../database/report-reads';
import { ValidationException } from '../errors/api-exceptions';
import { ServiceStatsRepository } from './service-stats.repository';
import { ServiceStatsService } from './service-stats.service';

const HOUR = 3_600_000;
const tenant = { tenantId: 't' };
const now = Date.parse('2026-12-01T10:30:00.000Z');

describe('ServiceStatsService.window', () => {
  const stats = new ServiceStatsService(
    {} as ServiceStatsRepository,
    {} as ReportReads,
    { STATS_CACHE_MS: 0 } as AppConfig,
  );

  it('defaults to the last 24 hours by hour, from rounded down to its hour', () => {
    expect(stats.window(tenant, {}, now)).toEqual({
      tenantId: 't',
      from: Date.parse('2026-11-30T10:00:00.000Z'),
      to: now,
      bucketMs: HOUR,
      serviceTypes: undefined,
    });
  });

  it('defaults to the last 30 days by day, from rounded down to midnight UTC', () => {
    const window = stats.window(tenant, { bucket: '1d' }, now);
    expect(new Date(window.from).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(window.bucketMs).toBe(24 * HOUR);
  });

  it('takes 400 buckets and refuses 401, naming to', () => {
    const to = '2026-12-01T00:00:00.000Z';
    const from = (hours: number) => new Date(Date.parse(to) - hours * HOUR).toISOString();
    expect(() => stats.window(tenant, { from: from(400), to }, now)).not.toThrow();
    expect(() => stats.window(tenant, { from: from(401), to }, now)).toThrow(
      expect.objectContaining({
        details: [{ path: 'to', problem: expect.stringContaining('401 buckets') }],
      }) as ValidationException,
    );
  });

  it('refuses a window that ends before it starts, or is empty', () => {
    const at = '2026-12-01T00:00:00.000Z';
    expect(() => stats.window(tenant, { from: at, to: at }, now)).toThrow(ValidationException);
  });
});
