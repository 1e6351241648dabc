import { activeByType, ServiceStats, toSeries, totalsOf } from './stats';

const stats: ServiceStats = {
  from: '2026-12-01T08:00:00.000Z',
  to: '2026-12-01T10:00:00.000Z',
  bucket: '1h',
  series: [
    { start: '2026-12-01T08:00:00.000Z', started: 3, completed: 1 },
    { start: '2026-12-01T09:00:00.000Z', started: 0, completed: 2 },
  ],
  by_type: [
    {
      service_type: 'Sales',
      active: 1,
      started: 2,
      completed: 2,
      duration_ms: { p50: 60_000, p90: 90_000 },
    },
    {
      service_type: 'Billing',
      active: 1,
      started: 1,
      completed: 1,
      duration_ms: { p50: 1, p90: 1 },
    },
    { service_type: 'Support', active: 0, started: 0, completed: 0, duration_ms: null },
  ],
  dispositions: [],
};

describe('dashboard series', () => {
  it('turns buckets into one series per measure, on epoch-ms starts', () => {
    expect(toSeries(stats)).toEqual({
      starts: [Date.UTC(2026, 11, 1, 8), Date.UTC(2026, 11, 1, 9)],
      started: [3, 0],
      completed: [1, 2],
    });
  });

  it('totals the types and orders the active ones, most first then by name', () => {
    expect(totalsOf(stats)).toEqual({ active: 2, started: 3, completed: 3 });
    expect(activeByType(stats)).toEqual([
      { type: 'Billing', active: 1 },
      { type: 'Sales', active: 1 },
    ]);
  });
});
