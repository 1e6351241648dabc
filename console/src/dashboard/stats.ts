/** `GET /stats/services` (docs/API.md §6.8) and the chart series the dashboard draws from it. */

export interface ServiceStats {
  from: string;
  to: string;
  bucket: '1h' | '1d';
  series: { start: string; started: number; completed: number }[];
  by_type: {
    service_type: string;
    active: number;
    started: number;
    completed: number;
    duration_ms: { p50: number; p90: number } | null;
  }[];
  dispositions: { disposition: string; count: number }[];
}

export interface Series {
  /** Bucket starts, epoch ms. */
  starts: number[];
  started: number[];
  completed: number[];
}

export function toSeries(stats: ServiceStats): Series {
  return {
    starts: stats.series.map((bucket) => Date.parse(bucket.start)),
    started: stats.series.map((bucket) => bucket.started),
    completed: stats.series.map((bucket) => bucket.completed),
  };
}

export interface Totals {
  active: number;
  started: number;
  completed: number;
}

export function totalsOf(stats: ServiceStats): Totals {
  return stats.by_type.reduce(
    (sum, type) => ({
      active: sum.active + type.active,
      started: sum.started + type.started,
      completed: sum.completed + type.completed,
    }),
    { active: 0, started: 0, completed: 0 },
  );
}

/** Types by how many are active, most first (then by name): the bars of "active by type". */
export function activeByType(stats: ServiceStats): { type: string; active: number }[] {
  return stats.by_type
    .filter((type) => type.active > 0)
    .map((type) => ({ type: type.service_type, active: type.active }))
    .sort((a, b) => b.active - a.active || (a.type < b.type ? -1 : 1));
}
