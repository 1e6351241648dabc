/** What one load run measured, whether through HTTP (autocannon) or straight to the database (the floor). */
export interface Measurement {
  requests: number;
  seconds: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  non2xx: number;
  errors: number;
  /** Responses by HTTP status (the floor counts committed transactions as 200). */
  statuses: Record<string, number>;
  /** The load run beside it, when the job had one (statistics readers beside composite writers). */
  beside?: { requests: number; seconds: number; p99_ms: number; statuses: Record<string, number> };
}

/** A job for the load process (`bench/load.ts`). */
export type LoadJob =
  | {
      kind: 'http';
      url: string;
      connections: number;
      seconds: number;
      /** Events per composite request; 0 means the service read scenario. */
      events: number;
      keyPrefix: string;
      existingShare: number;
      existingCount: number;
      /** Service ids for the read scenario. */
      serviceIds: number[];
      /** A fixed path to GET instead (the statistics scenario). */
      path?: string;
      /** Clients GETting this path on the same service for the same time, measured apart. */
      beside?: { path: string; connections: number };
    }
  | {
      /** Scenario (i): importers sending whole services (`bench/lib/import-load.ts`). */
      kind: 'import';
      url: string;
      connections: number;
      seconds: number;
      keyPrefix: string;
    }
  | {
      kind: 'floor';
      databaseUrl: string;
      connections: number;
      seconds: number;
      keyPrefix: string;
      existingShare: number;
      existingCount: number;
    };

export type LoadMessage =
  | { type: 'tick'; requests: number }
  | { type: 'done'; measurement: Measurement }
  | { type: 'failed'; message: string };

/** Percentile of an ascending array of latencies. */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}
