import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** One row of the bench's table and of `bench/results/latest.json`. */
export interface ScenarioResult {
  name: string;
  requests_per_s: number | null;
  events_per_s: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  non2xx: number | null;
  errors: number | null;
  ratio_to_floor: number | null;
  /** Throughput and p99 against the bare server's, for the scenarios measured against it. */
  ratio_to_bare: number | null;
  p99_to_bare: number | null;
  /** Why the scenario did not run, when it did not. */
  skipped?: string;
}

const interactive = process.stderr.isTTY;

/** A bar that fills as a long step runs, redrawn in place on a terminal and every few seconds otherwise. */
export class Progress {
  private lastLine = 0;

  constructor(private readonly label: string) {}

  update(fraction: number, detail: string): void {
    const width = 24;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${detail}`;
    if (interactive) process.stderr.write(`\r${line.padEnd(100)}`);
    else if (Date.now() - this.lastLine >= 5000) {
      process.stderr.write(`${line}\n`);
      this.lastLine = Date.now();
    }
  }

  done(detail: string): void {
    const line = `${this.label} ${detail}`;
    process.stderr.write(interactive ? `\r${line.padEnd(100)}\n` : `${line}\n`);
  }
}

export const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

const cell = (value: number | null, digits = 0) =>
  value === null ? '-' : digits === 0 ? thousands(value) : value.toFixed(digits);

export function formatTable(results: ScenarioResult[]): string {
  const header = [
    'scenario',
    'req/s',
    'events/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'non-2xx',
    'errors',
    'x floor',
    'x bare',
    'p99 x bare',
  ];
  const rows = results.map((r) =>
    r.skipped
      ? [r.name, `skipped: ${r.skipped}`, '', '', '', '', '', '', '', '', '']
      : [
          r.name,
          cell(r.requests_per_s),
          cell(r.events_per_s),
          cell(r.p50_ms, 1),
          cell(r.p99_ms, 1),
          cell(r.max_ms, 1),
          cell(r.non2xx),
          cell(r.errors),
          cell(r.ratio_to_floor, 2),
          cell(r.ratio_to_bare, 2),
          cell(r.p99_to_bare, 2),
        ],
  );
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.filter((r) => r[2] !== '' || i === 0).map((r) => r[i].length)),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
    .map((l) => l.trimEnd())
    .join('\n');
}

export function writeResults(file: string, results: ScenarioResult[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
