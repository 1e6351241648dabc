import { expectError, useResourceApp } from './support/resource-api';
import { uniqueId } from './support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `GET /stats/services` (docs/API.md §6.8) on both databases: every bucket of the window, starts and
 * completions where their timestamps fall, per-type counts and nearest-rank duration percentiles, the top
 * dispositions, the bounds of a window, and the tenant's own services only.
 */
describe('GET /stats/services', () => {
  const { api } = useResourceApp();
  // Three whole UTC hours ending at the last full hour before now: [h0, h0 + 3h).
  const h0 = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const window = `from=${iso(h0)}&to=${iso(h0 + 3 * HOUR)}`;

  /** A tenant with a small, known history inside the window. */
  async function history() {
    const tenant = api.as(uniqueId('stats'));
    const start = (type: string, at: number) =>
      tenant.startService({ service_type: type, timestamp: iso(at) });
    const end = async (id: number, at: number, disposition?: string) => {
      await tenant.post(`/services/${id}/end`, { timestamp: iso(at), disposition }).expect(204);
    };
    // Sales: four services started in hour 0, three completed (after 10, 20 and 60 min); Support: one in
    // hour 2, still active; one Sales service started before the window and completed in hour 1.
    const sales = [];
    for (const minute of [5, 10, 15, 20]) sales.push(await start('Sales', h0 + minute * 60_000));
    await end(sales[0], h0 + 15 * 60_000, 'Resolved');
    await end(sales[1], h0 + 30 * 60_000, 'Resolved');
    await end(sales[2], h0 + 75 * 60_000, 'Callback');
    await start('Support', h0 + 2 * HOUR + 60_000);
    const early = await start('Sales', h0 - 2 * HOUR);
    await end(early, h0 + HOUR + 60_000);
    return tenant;
  }

  it('counts starts and completions per bucket and per type, with durations and dispositions', async () => {
    const tenant = await history();
    const stats = await tenant.read(`/stats/services?${window}&bucket=1h`);
    expect(stats).toEqual({
      from: iso(h0),
      to: iso(h0 + 3 * HOUR),
      bucket: '1h',
      series: [
        { start: iso(h0), started: 4, completed: 2 },
        { start: iso(h0 + HOUR), started: 0, completed: 2 },
        { start: iso(h0 + 2 * HOUR), started: 1, completed: 0 },
      ],
      by_type: [
        // Durations completed in the window: 10, 20, 60 min and the early one's 3 h 1 min.
        {
          service_type: 'Sales',
          active: 1,
          started: 4,
          completed: 4,
          duration_ms: { p50: 20 * 60_000, p90: 181 * 60_000 },
        },
        { service_type: 'Support', active: 1, started: 1, completed: 0, duration_ms: null },
      ],
      dispositions: [
        { disposition: 'Resolved', count: 2 },
        { disposition: 'Callback', count: 1 },
      ],
    });
  });

  it('rounds from down to its bucket and filters by service type', async () => {
    const tenant = await history();
    const stats = await tenant.read(
      `/stats/services?from=${iso(h0 + 30 * 60_000)}&to=${iso(h0 + 3 * HOUR)}&service_types=Support`,
    );
    expect(stats.from).toBe(iso(h0));
    expect(stats.series.map((b: { started: number }) => b.started)).toEqual([0, 0, 1]);
    expect(stats.by_type.map((t: { service_type: string }) => t.service_type)).toEqual(['Support']);
    expect(stats.dispositions).toEqual([]);
  });

  it('answers the last 24 hours by hour, or the last 30 days by day, when no window is given', async () => {
    const tenant = await history();
    const hourly = await tenant.read('/stats/services');
    expect(hourly.bucket).toBe('1h');
    expect(hourly.series.length).toBeGreaterThanOrEqual(24);
    expect(hourly.series.length).toBeLessThanOrEqual(25);
    expect(hourly.series.reduce((n: number, b: { started: number }) => n + b.started, 0)).toBe(6);
    const daily = await tenant.read('/stats/services?bucket=1d');
    expect(Date.parse(daily.series[1].start) - Date.parse(daily.series[0].start)).toBe(DAY);
    expect(daily.series.length).toBeGreaterThanOrEqual(30);
    expect(daily.series.length).toBeLessThanOrEqual(31);
  });

  it("shows a tenant nothing of another tenant's services, and leaves expired ones out", async () => {
    await history();
    const other = api.as(uniqueId('stats-other'));
    const empty = await other.read(`/stats/services?${window}`);
    expect(empty.by_type).toEqual([]);
    expect(empty.series.every((b: { started: number }) => b.started === 0)).toBe(true);

    const id = await other.startService({ service_type: 'Gone', timestamp: iso(h0 + 60_000) });
    await other.put(`/services/${id}`, { ttl: 1 }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await other.read(`/stats/services?${window}`)).by_type).toEqual([]);
  });

  it.each([
    ['from after to', `from=${iso(h0 + HOUR)}&to=${iso(h0)}`, 'from', 'must be before to'],
    ['more than 400 buckets', `from=${iso(h0 - 401 * HOUR)}&to=${iso(h0)}`, 'to', 'at most 400'],
    ['an unknown bucket', 'bucket=5m', 'bucket', 'must be 1h or 1d'],
    ['a malformed time', 'from=yesterday', 'from', 'ISO 8601'],
    ['from given twice', `${window}&from=${iso(h0)}`, 'from', ''],
  ])('refuses %s with a 400 naming the parameter', async (_, query, path, problem) => {
    const response = await api.get(`/stats/services?${query}`);
    expectError(response, 400, 'ValidationException');
    expect(response.body.details[0].path).toBe(path);
    expect(response.body.details[0].problem).toContain(problem);
  });

  it('answers exactly 400 buckets', async () => {
    const stats = await api.read(`/stats/services?from=${iso(h0 - 400 * HOUR)}&to=${iso(h0)}`);
    expect(stats.series).toHaveLength(400);
  });
});

describe('GET /stats/services shares its answers', () => {
  const { api } = useResourceApp({ env: { STATS_CACHE_MS: '60000' } });
  const { api: uncached } = useResourceApp({ env: { STATS_CACHE_MS: '0' } });

  const startedIn = async (tenant: ReturnType<typeof api.as>, query = '') =>
    (
      (await tenant.get(`/stats/services${query}`).expect(200)).body.by_type as {
        started: number;
      }[]
    ).reduce((sum, type) => sum + type.started, 0);

  it('serves a refresh of the same query from STATS_CACHE_MS, and computes another query anew', async () => {
    const tenant = api.as(uniqueId('cache'));
    await tenant
      .post('/services/start', { customer_id: uniqueId('c'), service_type: 'Sales' })
      .expect(201);
    expect(await startedIn(tenant)).toBe(1);
    await tenant
      .post('/services/start', { customer_id: uniqueId('c'), service_type: 'Sales' })
      .expect(201);
    expect(await startedIn(tenant)).toBe(1);
    expect(await startedIn(tenant, '?service_types=Sales')).toBe(2);
    // Another tenant asking the same query has an answer of its own.
    expect(await startedIn(api.as(uniqueId('cache')))).toBe(0);
  });

  it('computes every request with STATS_CACHE_MS=0', async () => {
    const tenant = uncached.as(uniqueId('nocache'));
    await tenant.post('/services/start', { customer_id: uniqueId('c') }).expect(201);
    expect(await startedIn(tenant)).toBe(1);
    await tenant.post('/services/start', { customer_id: uniqueId('c') }).expect(201);
    expect(await startedIn(tenant)).toBe(2);
  });
});
