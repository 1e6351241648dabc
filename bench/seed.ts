/**
 * `npm run bench:seed -- --services 1000000`: re-creates the bench database and fills it with a realistic
 * history, so the bench can be run (with `--keep-data`) against a large table. Each service has two states
 * (a completed one and its successor) and a task in the current state, with extensions at every level; one
 * service in five is completed, with everything in it.
 */
import { Connection } from 'mysql2/promise';
import { performance } from 'node:perf_hooks';
import { recreateDatabase, withDatabase } from './lib/database';
import { DEFAULT_DATABASE_URL, intOption, parseArgs, rejectUnknown } from './lib/options';
import { Progress, thousands } from './lib/report';
import {
  MEDIA_TYPE,
  SERVICE_EXTENSIONS,
  STATE_EXTENSIONS,
  TASK_TYPE,
  TENANT,
} from './lib/workload';

/** Services per multi-row INSERT: large enough to amortise the statement, small enough for any packet limit. */
const BATCH = 1000;
/** Batches written concurrently: the server does the work, so a few connections keep it busy. */
const WRITERS = 3;
const SERVICE_TYPES = ['Wireless', 'Mortgage', 'Insurance', 'Support', 'Billing'];
const HOUR = 3_600_000;

const serviceExtensions = JSON.stringify(SERVICE_EXTENSIONS);
const stateExtensions = JSON.stringify(STATE_EXTENSIONS);
const taskExtensions = JSON.stringify({ FeedbackTask: { score: 4 } });

/** Rows of the services with ids first..last, built as VALUES tuples for one INSERT per table. */
function batchRows(first: number, last: number, epoch: number) {
  const services: unknown[][] = [];
  const states: unknown[][] = [];
  const tasks: unknown[][] = [];
  for (let id = first; id <= last; id++) {
    const started = epoch + id * 1000;
    const completed = id % 5 === 0 ? started + HOUR : null;
    const marker = completed === null ? 1 : null;
    services.push([
      id,
      TENANT,
      `seed-customer-${id}`,
      SERVICE_TYPES[id % SERVICE_TYPES.length],
      '',
      marker,
      started,
      MEDIA_TYPE,
      completed,
      started + 60_000,
      serviceExtensions,
    ]);
    // Each service's states get ids 2n-1 (completed) and 2n (current), its task id n.
    const previous = 2 * id - 1;
    const current = 2 * id;
    states.push(
      [
        previous,
        TENANT,
        id,
        'Identification',
        null,
        started,
        started + 30_000,
        null,
        stateExtensions,
      ],
      [
        current,
        TENANT,
        id,
        'Delivery',
        marker,
        started + 30_000,
        completed,
        previous,
        stateExtensions,
      ],
    );
    tasks.push([
      id,
      TENANT,
      id,
      current,
      current,
      TASK_TYPE,
      marker,
      started + 40_000,
      completed,
      taskExtensions,
    ]);
  }
  return { services, states, tasks };
}

const INSERTS = {
  services: `INSERT INTO services (id, tenant_id, customer_id, service_type, contact_key, active_marker,
      started_at, started_media_type, completed_at, last_activity_at, extensions) VALUES ?`,
  states: `INSERT INTO states (id, tenant_id, service_id, state_type, active_marker, started_at, completed_at,
      previous_state_id, extensions) VALUES ?`,
  tasks: `INSERT INTO tasks (id, tenant_id, service_id, state_id, state_scope, task_type, active_marker,
      started_at, completed_at, extensions) VALUES ?`,
};

async function writeBatch(
  db: Connection,
  first: number,
  last: number,
  epoch: number,
): Promise<void> {
  const rows = batchRows(first, last, epoch);
  await db.query(INSERTS.services, [rows.services]);
  await db.query(INSERTS.states, [rows.states]);
  await db.query(INSERTS.tasks, [rows.tasks]);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  rejectUnknown(options, ['services']);
  const total = intOption(options, 'services', 10_000);
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  console.log(`seeding ${thousands(total)} services into ${databaseUrl}`);
  const began = performance.now();
  await recreateDatabase(databaseUrl);

  // Started a year ago, one service a second, so the newest ones end before today.
  const epoch = Date.now() - 365 * 24 * HOUR - total * 1000;
  const progress = new Progress('seeding');
  let next = 1;
  let done = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, () =>
      withDatabase(databaseUrl, async (db) => {
        // The rows are generated consistent; checking each one again would only slow the load down.
        await db.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
        while (next <= total) {
          const first = next;
          const last = Math.min(total, first + BATCH - 1);
          next = last + 1;
          await writeBatch(db, first, last, epoch);
          done += last - first + 1;
          const seconds = (performance.now() - began) / 1000;
          progress.update(
            done / total,
            `${thousands(done)}/${thousands(total)} services, ${thousands(done / seconds)}/s`,
          );
        }
      }),
    ),
  );
  const seconds = (performance.now() - began) / 1000;
  progress.done(
    `${thousands(total)} services, ${thousands(2 * total)} states, ${thousands(total)} tasks in ${seconds.toFixed(1)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
