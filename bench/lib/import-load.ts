import { Measurement, percentile } from './measurement';
import { TENANT } from './workload';

/** Services per import request: a few seconds each at the target rate, far below IMPORT_MAX_BYTES. */
const SERVICES_PER_REQUEST = 10_000;
export const IMPORT_PATH = '/genesys/1/cs/maintenance/services/import';

const at = (base: number, minutes: number) => new Date(base + minutes * 60_000).toISOString();

/**
 * One exported service as the history a contact centre brings: three states and two tasks (in the first
 * two states), event fields and a small extension on each level; one in twenty still active.
 */
function serviceLine(prefix: string, n: number, base: number): string {
  const active = n % 20 === 0;
  const states = [1, 2, 3].map((s) => ({
    state_id: s,
    state_type: `Step${s}`,
    ...(s > 1 ? { previous_state_id: s - 1 } : {}),
    started: { timestamp: at(base, s), interaction_id: `${prefix}-i${n}` },
    ...(active && s === 3 ? {} : { completed: { timestamp: at(base, s + 1) } }),
    Form: { score: s },
  }));
  const tasks = [1, 2].map((t) => ({
    task_id: t,
    task_type: `Task${t}`,
    state_id: t,
    started: { timestamp: at(base, t) },
    completed: { timestamp: at(base, t + 1) },
  }));
  return JSON.stringify({
    service_id: `${prefix}-${n}`,
    service_type: 'Sales',
    customer_id: `${prefix}-c${n}`,
    started: { timestamp: at(base, 0), media_type: 'voice', session_id: `s${n}` },
    ...(active ? {} : { completed: { timestamp: at(base, 9) }, disposition: 'Done' }),
    active_states: states.filter((s) => !s.completed),
    completed_states: states.filter((s) => s.completed),
    completed_tasks: tasks,
    Offer: { id: n, plan: 'gold' },
  });
}

/**
 * Scenario (i): `clients` importers each sending JSON Lines bodies of SERVICES_PER_REQUEST new services,
 * one after another, for `seconds`. A "request" of the measurement is one service imported; the latencies
 * are those of the import requests.
 */
export async function runImport(
  url: string,
  clients: number,
  seconds: number,
  keyPrefix: string,
  onTick: (services: number) => void,
): Promise<Measurement> {
  const started = Date.now();
  const until = started + seconds * 1000;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let services = 0;
  let errors = 0;
  const ticker = setInterval(() => onTick(services), 1000);
  const client = async (c: number) => {
    for (let request = 0; Date.now() < until; request++) {
      const prefix = `${keyPrefix}-${c}-${request}`;
      const base = Date.parse('2025-06-01T00:00:00.000Z') + request * 3_600_000;
      const body = Array.from({ length: SERVICES_PER_REQUEST }, (_, n) =>
        serviceLine(prefix, n, base),
      ).join('\n');
      const sent = Date.now();
      try {
        const response = await fetch(`${url}${IMPORT_PATH}?source=bench`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', ContactCenterId: TENANT },
          body,
        });
        const answer = (await response.json()) as { imported?: number };
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.ok) services += answer.imported ?? 0;
      } catch {
        errors++;
      }
      latencies.push(Date.now() - sent);
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  } finally {
    clearInterval(ticker);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: services,
    seconds: (Date.now() - started) / 1000,
    p50_ms: percentile(sorted, 0.5),
    p99_ms: percentile(sorted, 0.99),
    max_ms: sorted.at(-1) ?? 0,
    non2xx: Object.entries(statuses)
      .filter(([status]) => !status.startsWith('2'))
      .reduce((sum, [, count]) => sum + count, 0),
    errors,
    statuses,
  };
}
