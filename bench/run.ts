/**
 * `npm run bench`: composite start and the service read, measured against the raw database floor.
 * See docs/PERFORMANCE.md for what each scenario does and how to read the table.
 */
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import * as path from 'node:path';
import {
  findDuplicates,
  recreateDatabase,
  sampleServiceIds,
  scalar,
  withDatabase,
} from './lib/database';
import { LoadJob, LoadMessage, Measurement } from './lib/measurement';
import { DEFAULT_DATABASE_URL, intOption, parseArgs, rejectUnknown } from './lib/options';
import {
  Progress,
  ScenarioResult,
  formatTable,
  median,
  thousands,
  writeResults,
} from './lib/report';
import { ROOT, ServiceProcess } from './lib/service';
import {
  COMPOSITE_PATH,
  compositeEvent,
  existingCustomer,
  serviceReadPath,
  TENANT,
} from './lib/workload';

const EXISTING_KEYS = 5000;
const EXISTING_SHARE = 0.9;
const BATCH_EVENTS = 50;

interface Settings {
  databaseUrl: string;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  repeat: number;
  keepData: boolean;
  poolSize: number;
  port: number;
  /** Scenario letters to run (`--only ag`), or all. */
  only?: string;
  /** Other checkouts, built, whose service runs (a), (b) and (c) interleaved with this one's. */
  compare: string[];
}

function settingsFrom(argv: string[]): Settings {
  const options = parseArgs(argv);
  rejectUnknown(options, [
    'duration',
    'connections',
    'quick',
    'keep-data',
    'repeat',
    'pool',
    'port',
    'only',
    'compare',
  ]);
  const quick = options.has('quick');
  return {
    databaseUrl: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    seconds: intOption(options, 'duration', quick ? 4 : 20),
    warmupSeconds: quick ? 1 : 3,
    connections: intOption(options, 'connections', 32),
    repeat: intOption(options, 'repeat', 1),
    keepData: options.has('keep-data'),
    // One pooled database connection per client connection unless told otherwise: the service's default
    // pool (8) is sized for small installations, and a smaller pool only measures waiting for a connection.
    poolSize: intOption(options, 'pool', intOption(options, 'connections', 32)),
    port: intOption(options, 'port', 3900),
    only: options.get('only'),
    compare: (options.get('compare') ?? '')
      .split(',')
      .filter(Boolean)
      .map((dir) => path.resolve(dir)),
  };
}

/** The servers a scenario may drive: the service under test and the bare server it is measured against. */
interface Targets {
  service: ServiceProcess;
  bare: ServiceProcess;
}

interface Scenario {
  name: string;
  /** Events per measured request (for events/s). */
  events: number;
  /** The floor scenario this one is compared with; undefined for a floor itself. */
  floor?: string;
  /** The bare-server scenario this one is compared with (throughput and p99). */
  bare?: string;
  /** Compare events/s rather than requests/s with the floor. */
  perEvent?: boolean;
  /** The same load without what runs beside it: the scenario's throughput and p99 are compared with it. */
  alone?: string;
  job(settings: Settings, targets: Targets, prefix: string, ids: number[]): LoadJob;
}

/**
 * The statistics window: the last 24 hours of the seeded history when the database was seeded (bench:seed
 * writes a year in the past, a service a second: 86,400 in the window), else the last 24 hours.
 */
let statsWindowEnd = Date.now();
/**
 * The statistics are a supervisor's read, not an IVR's: measured for one dashboard refreshing (1 connection)
 * and for several refreshing at the same moment (4), never at the composite scenarios' 32.
 */
const STATS_CONNECTIONS = 4;
/** Dashboards asking at once for the widest window, beside the composite writers (scenario h). */
const BESIDE_STATS_CONNECTIONS = 8;
const DAY = 24 * 3_600_000;
/** The widest window statistics answer: 400 days by day, ending where the seeded history ends. */
const widestStatsPath = () =>
  `/genesys/1/cs/stats/services?bucket=1d` +
  `&from=${new Date(statsWindowEnd - 399 * DAY).toISOString()}` +
  `&to=${new Date(statsWindowEnd).toISOString()}`;

const http = (events: number, existingShare: number, target: keyof Targets = 'service') =>
  ((settings, targets, prefix, ids) => ({
    kind: 'http',
    url: targets[target].url,
    connections: settings.connections,
    seconds: settings.seconds,
    events,
    keyPrefix: prefix,
    existingShare,
    existingCount: EXISTING_KEYS,
    serviceIds: ids,
  })) satisfies Scenario['job'];

const floor = (existingShare: number) =>
  ((settings, _service, prefix) => ({
    kind: 'floor',
    databaseUrl: settings.databaseUrl,
    connections: settings.connections,
    seconds: settings.seconds,
    keyPrefix: prefix,
    existingShare,
    existingCount: EXISTING_KEYS,
  })) satisfies Scenario['job'];

const FLOOR_NEW = '(e) floor: new keys, mysql2 only';
const FLOOR_EXISTING = '(e) floor: 90% existing keys';
const BARE_NEW = '(f) bare server, 1 event, new keys';
const BARE_EXISTING = '(f) bare server, 1 event, 90% existing';
const BARE_BATCH = `(f) bare server, ${BATCH_EVENTS} events, new keys`;

const SCENARIOS: Scenario[] = [
  { name: FLOOR_NEW, events: 1, job: floor(0) },
  { name: BARE_NEW, events: 1, floor: FLOOR_NEW, job: http(1, 0, 'bare') },
  {
    name: '(a) composite 1 event, new keys',
    events: 1,
    floor: FLOOR_NEW,
    bare: BARE_NEW,
    job: http(1, 0),
  },
  { name: FLOOR_EXISTING, events: 1, job: floor(EXISTING_SHARE) },
  { name: BARE_EXISTING, events: 1, floor: FLOOR_EXISTING, job: http(1, EXISTING_SHARE, 'bare') },
  {
    name: '(b) composite 1 event, 90% existing',
    events: 1,
    floor: FLOOR_EXISTING,
    bare: BARE_EXISTING,
    job: http(1, EXISTING_SHARE),
  },
  {
    name: BARE_BATCH,
    events: BATCH_EVENTS,
    floor: FLOOR_NEW,
    perEvent: true,
    job: http(BATCH_EVENTS, 0, 'bare'),
  },
  {
    name: `(c) composite ${BATCH_EVENTS} events, new keys`,
    events: BATCH_EVENTS,
    floor: FLOOR_NEW,
    bare: BARE_BATCH,
    perEvent: true,
    job: http(BATCH_EVENTS, 0),
  },
  { name: '(d) GET service, states, tasks, ext', events: 0, floor: FLOOR_NEW, job: http(0, 0) },
  ...[1, STATS_CONNECTIONS].map((connections): Scenario => ({
    name: `(g) GET stats/services, 24 h by hour, ${connections} connection${connections > 1 ? 's' : ''}`,
    events: 0,
    job: (settings, targets, prefix, ids) => ({
      ...http(0, 0)(settings, targets, prefix, ids),
      connections,
      path:
        `/genesys/1/cs/stats/services?bucket=1h` +
        `&from=${new Date(statsWindowEnd - 24 * 3_600_000).toISOString()}` +
        `&to=${new Date(statsWindowEnd).toISOString()}`,
    }),
  })),
];
SCENARIOS.push({
  name: `(h) composite 1 event, new keys, beside ${BESIDE_STATS_CONNECTIONS} stats clients (widest window)`,
  events: 1,
  alone: '(a) composite 1 event, new keys',
  job: (settings, targets, prefix, ids) => ({
    ...http(1, 0)(settings, targets, prefix, ids),
    beside: { path: widestStatsPath(), connections: BESIDE_STATS_CONNECTIONS },
  }),
});
/** Importers at once: the import is one request after another per client, each a batch transaction at a time. */
const IMPORT_CLIENTS = 2;
SCENARIOS.push({
  name: `(i) import, services with 3 states and 2 tasks, ${IMPORT_CLIENTS} clients (req = a service)`,
  events: 1,
  job: (settings, targets, prefix) => ({
    kind: 'import',
    url: targets.service.url,
    connections: IMPORT_CLIENTS,
    seconds: settings.seconds,
    keyPrefix: prefix,
  }),
});

const READ_SCENARIO = SCENARIOS.find((s) => s.name.startsWith('(d)'))!;
/** The scenarios a compared build runs too, each right after this build's. */
const COMPARED = 'abch';

/** A compared build: its service, and how the table names it (its commit, else its folder). */
interface ComparedBuild {
  label: string;
  service: ServiceProcess;
}

function labelOf(dir: string): string {
  try {
    return execFileSync('git', ['-C', dir, 'log', '-1', '--format=%h'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return path.basename(dir);
  }
}

/** Every scenario, each of (a), (b) and (c) followed by the same load on each compared build. */
function withCompared(scenarios: Scenario[], builds: ComparedBuild[]): Scenario[] {
  return scenarios.flatMap((scenario) =>
    COMPARED.includes(scenario.name.charAt(1))
      ? [
          scenario,
          ...builds.map((build) => ({
            ...scenario,
            name: `${scenario.name} [${build.label}]`,
            alone: scenario.alone && `${scenario.alone} [${build.label}]`,
            job: (...args: Parameters<Scenario['job']>) => ({
              ...scenario.job(...args),
              url: build.service.url,
            }),
          })),
        ]
      : [scenario],
  );
}

/** The forked load process (autocannon or the floor), which runs one job at a time. */
class LoadProcess {
  private readonly child: ChildProcess = fork(path.join(__dirname, 'load.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    cwd: ROOT,
  });

  run(
    job: LoadJob,
    progress: Progress,
    describe: (requests: number) => string,
  ): Promise<Measurement> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: LoadMessage) => {
        if (message.type === 'tick') {
          const elapsed = (Date.now() - started) / 1000;
          progress.update(elapsed / job.seconds, describe(message.requests / elapsed));
          return;
        }
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (message.type === 'done') resolve(message.measurement);
        else reject(new Error(message.message));
      };
      const onExit = (code: number | null) =>
        reject(new Error(`the load process exited (${code})`));
      const started = Date.now();
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(job);
    });
  }

  stop(): void {
    this.child.kill();
  }
}

/** Makes sure the "existing" customers have their service, state and task, in batches through the API. */
async function prepareExistingKeys(service: ServiceProcess): Promise<void> {
  const progress = new Progress('preparing existing keys');
  for (let first = 0; first < EXISTING_KEYS; first += BATCH_EVENTS * 8) {
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        const start = first + worker * BATCH_EVENTS;
        if (start >= EXISTING_KEYS) return;
        const count = Math.min(BATCH_EVENTS, EXISTING_KEYS - start);
        const events = Array.from({ length: count }, (_, i) =>
          compositeEvent(existingCustomer(start + i)),
        );
        const response = await fetch(`${service.url}${COMPOSITE_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ services: events }),
        });
        if (!response.ok)
          throw new Error(`preparing keys failed: ${response.status} ${await response.text()}`);
      }),
    );
    progress.update(first / EXISTING_KEYS, `${first}/${EXISTING_KEYS}`);
  }
  progress.done(`${EXISTING_KEYS} ready`);
}

/**
 * Waits, up to a minute, until the database runs no statement but this one: statistics a scenario's load
 * stopped waiting for keep running in the server, and would otherwise run into the next measurement.
 */
async function databaseIdle(databaseUrl: string): Promise<void> {
  await withDatabase(databaseUrl, async (db) => {
    const until = Date.now() + 60_000;
    // A second without a statement: a service's queued statements start one after another, with gaps.
    let quiet = 0;
    while (Date.now() < until && quiet < 5) {
      const running = await scalar(
        db,
        "SELECT COUNT(*) FROM information_schema.processlist WHERE command = 'Query' AND id <> CONNECTION_ID()",
      );
      quiet = running === 0 ? quiet + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
}

/** Whether the service read endpoint exists: a 404 for every sampled id means the route does not. */
async function readEndpointAvailable(service: ServiceProcess, ids: number[]): Promise<boolean> {
  for (const id of ids.slice(0, 10)) {
    if ((await fetch(`${service.url}${serviceReadPath(id)}`)).status !== 404) return true;
  }
  return false;
}

function toResult(scenario: Scenario, runs: Measurement[]): ScenarioResult {
  const rps = median(runs.map((m) => m.requests / m.seconds));
  return {
    name: scenario.name,
    requests_per_s: rps,
    events_per_s: rps * scenario.events,
    p50_ms: median(runs.map((m) => m.p50_ms)),
    p99_ms: median(runs.map((m) => m.p99_ms)),
    max_ms: Math.max(...runs.map((m) => m.max_ms)),
    non2xx: runs.reduce((sum, m) => sum + m.non2xx, 0),
    errors: runs.reduce((sum, m) => sum + m.errors, 0),
    // A floor is 1× itself; a scenario measured against none (the statistics) has no ratio.
    ratio_to_floor:
      scenario.floor === undefined && scenario.alone === undefined && scenario.events > 0
        ? 1
        : null,
    ratio_to_bare: null,
    p99_to_bare: null,
  };
}

/** Each scenario's throughput against its floor's, and against its bare server's (with p99). */
function withRatios(scenarios: Scenario[], results: ScenarioResult[]): ScenarioResult[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  return results.map((result) => {
    const scenario = scenarios.find((s) => s.name === result.name)!;
    if (result.skipped) return result;
    const measure = scenario.perEvent ? 'events_per_s' : 'requests_per_s';
    const floorResult = scenario.floor ? byName.get(scenario.floor) : undefined;
    const bareResult = scenario.bare ? byName.get(scenario.bare) : undefined;
    return {
      ...result,
      ...(floorResult && { ratio_to_floor: result[measure]! / floorResult[measure]! }),
      ...(bareResult && {
        ratio_to_bare: result[measure]! / bareResult[measure]!,
        p99_to_bare: result.p99_ms! / bareResult.p99_ms!,
      }),
    };
  });
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  console.log(
    `bench: ${settings.databaseUrl}, ${settings.connections} connections, pool ${settings.poolSize}, ` +
      `${settings.seconds} s per run` +
      `${settings.repeat > 1 ? `, median of ${settings.repeat} runs` : ''}` +
      `${settings.keepData ? ', kept data' : ', fresh database'}`,
  );
  if (!settings.keepData) await recreateDatabase(settings.databaseUrl);
  // Every service keeps its pool open between its runs: they must all fit in the server at once.
  const services = 1 + settings.compare.length;
  const needed = (services + 1) * settings.poolSize + settings.connections + services * 2;
  const allowed = await withDatabase(settings.databaseUrl, (db) =>
    scalar(db, 'SELECT @@max_connections'),
  );
  if (needed > allowed) {
    throw new Error(
      `${services} services, the bare server and the floor need ${needed} database connections; the server ` +
        `allows ${allowed}: compare fewer builds at once, or use a smaller --pool`,
    );
  }
  const stored = await withDatabase(settings.databaseUrl, (db) =>
    scalar(db, 'SELECT COUNT(*) FROM services'),
  );
  console.log(`stored services before the run: ${thousands(stored)}`);
  const seededUntil = await withDatabase(settings.databaseUrl, (db) =>
    scalar(
      db,
      'SELECT COALESCE(MAX(started_at), 0) FROM services WHERE tenant_id = ? AND started_at < ?',
      [TENANT, Date.now() - 7 * 24 * 3_600_000],
    ),
  );
  if (seededUntil > 0) statsWindowEnd = seededUntil + 1;

  const service = new ServiceProcess(settings.port, {
    DATABASE_URL: settings.databaseUrl,
    LOG_LEVEL: 'warn',
    DB_POOL_SIZE: String(settings.poolSize),
  });
  const bare = new ServiceProcess(
    settings.port + 1,
    { DATABASE_URL: settings.databaseUrl, DB_POOL_SIZE: String(settings.poolSize) },
    ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'bench', 'bare-server.ts')],
  );
  const targets = { service, bare };
  const compared = settings.compare.map((dir, i): ComparedBuild => ({
    label: labelOf(dir),
    service: ServiceProcess.builtIn(dir, settings.port + 10 + i, {
      DATABASE_URL: settings.databaseUrl,
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: String(settings.poolSize),
    }),
  }));
  const load = new LoadProcess();
  try {
    await service.start();
    await bare.start();
    // After this build's service, which has brought the schema up to date.
    for (const build of compared) await build.service.start();
    await prepareExistingKeys(service);
    const ids = await withDatabase(settings.databaseUrl, (db) => sampleServiceIds(db, 10_000));
    const readable = await readEndpointAvailable(service, ids);
    const all = withCompared(SCENARIOS, compared);
    const scenarios = all.filter(
      (s) =>
        (readable || s !== READ_SCENARIO) &&
        (!settings.only || settings.only.includes(s.name.charAt(1))),
    );

    const runId = Date.now().toString(36);
    const runs = new Map<string, Measurement[]>();
    service.resetPeakRss();
    for (const build of compared) build.service.resetPeakRss();
    for (let round = 1; round <= settings.repeat; round++) {
      for (const [index, scenario] of scenarios.entries()) {
        const prefix = `bench-${runId}-${round}-${index}`;
        const job = scenario.job(settings, targets, prefix, ids);
        const label = `${scenario.name}${settings.repeat > 1 ? ` #${round}` : ''}`;
        const describe = (rps: number) =>
          `${thousands(rps)} req/s, RSS ${Math.round(service.peakRssMb)} MB`;
        await databaseIdle(settings.databaseUrl);
        await load.run(
          { ...job, seconds: settings.warmupSeconds, keyPrefix: `${prefix}-warmup` },
          new Progress(`${label} (warm-up)`),
          describe,
        );
        const progress = new Progress(label);
        const measurement = await load.run(job, progress, describe);
        progress.done(
          `${thousands(measurement.requests / measurement.seconds)} req/s, p99 ${measurement.p99_ms.toFixed(1)} ms` +
            `${measurement.non2xx ? `, non-2xx ${JSON.stringify(measurement.statuses)}` : ''}`,
        );
        runs.set(scenario.name, [...(runs.get(scenario.name) ?? []), measurement]);
      }
    }

    let results = scenarios.map((s) => toResult(s, runs.get(s.name)!));
    if (!readable) {
      results.push({
        name: READ_SCENARIO.name,
        requests_per_s: null,
        events_per_s: null,
        p50_ms: null,
        p99_ms: null,
        max_ms: null,
        non2xx: null,
        errors: null,
        ratio_to_floor: null,
        ratio_to_bare: null,
        p99_to_bare: null,
        skipped: 'endpoint not available',
      });
    }
    results = withRatios(all, results);

    console.log(`\n${formatTable(results)}\n`);
    for (const scenario of scenarios.filter((s) => s.alone)) {
      const beside = results.find((r) => r.name === scenario.name);
      const alone = results.find((r) => r.name === scenario.alone);
      const readers = runs.get(scenario.name)!.map((m) => m.beside!);
      if (!beside?.requests_per_s || !alone?.requests_per_s) continue;
      const statuses: Record<string, number> = {};
      for (const run of readers) {
        for (const [code, count] of Object.entries(run.statuses)) {
          statuses[code] = (statuses[code] ?? 0) + count;
        }
      }
      console.log(
        `${scenario.name.slice(0, 3)} beside the readers: ` +
          `${(beside.requests_per_s / alone.requests_per_s).toFixed(2)}× its throughput alone, ` +
          `p99 ${(beside.p99_ms! / alone.p99_ms!).toFixed(2)}× alone; the readers: ` +
          `${thousands(median(readers.map((r) => r.requests / r.seconds)))} req/s, ` +
          `p99 ${median(readers.map((r) => r.p99_ms)).toFixed(0)} ms, statuses ${JSON.stringify(statuses)}`,
      );
    }
    console.log(`service resident memory: max ${service.peakRssMb.toFixed(0)} MB`);
    for (const build of compared) {
      console.log(`[${build.label}] resident memory: max ${build.service.peakRssMb.toFixed(0)} MB`);
    }
    const duplicates = await withDatabase(settings.databaseUrl, findDuplicates);
    const clean = duplicates.every((d) => d.duplicateKeys === 0);
    console.log(
      `duplicate active rows: ${clean ? 'none' : 'FOUND'} (${duplicates
        .map((d) => `${d.what}: ${d.duplicateKeys}`)
        .join(', ')})`,
    );
    const file = path.join(ROOT, 'bench', 'results', 'latest.json');
    writeResults(file, results);
    console.log(`results written to ${path.relative(process.cwd(), file)}`);
    if (!clean) process.exitCode = 1;
  } finally {
    load.stop();
    await service.stop();
    await bare.stop();
    for (const build of compared) await build.service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
