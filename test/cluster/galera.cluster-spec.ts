import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { GaleraCluster, GaleraNode } from '../support/galera-cluster';
import { freePort } from '../support/own-mariadb';
import { MAIN, ServiceProcess } from '../support/service-process';
import { migrations } from '../../migrations';
import { API_BASE_PATH } from '../../src/http/api-base-path';

const DATABASE = 'cs_cluster';
const API = API_BASE_PATH;
const RACERS = 48;
const KEYS = 20;

type Reference = Record<string, string | number>;

/** The parts of the API's answers (docs/API.md §3.4, §4, §7) that this suite reads. */
interface Body {
  services: Record<'service' | 'state' | 'task', Reference>[];
  service_id: number;
  state_id: number;
  task_id: number;
  info: { database: object };
  message: string;
  details: unknown[];
  exception: string;
}

interface Answer {
  status: number;
  body: Body;
  retryAfter: string | null;
  startedAt: number;
  endedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One instance of the built service, on one node. */
class Instance {
  readonly base: string;

  constructor(
    readonly process: ServiceProcess,
    port: number,
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  async call(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<Answer> {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${this.base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : {}) as Body,
        retryAfter: response.headers.get('retry-after'),
        startedAt,
        endedAt: Date.now(),
      };
    } catch {
      return { status: 0, body: {} as Body, retryAfter: null, startedAt, endedAt: Date.now() };
    }
  }

  async retries(): Promise<number> {
    const text = await (await fetch(`${this.base}/metrics`)).text();
    return [...text.matchAll(/^cs_transaction_retries_total\{[^}]*\} (\d+)/gm)]
      .map(([, count]) => Number(count))
      .reduce((a, b) => a + b, 0);
  }
}

const event = (customer: string, service_type = 'Sales') => ({
  service: { customer_id: customer, service_type },
  state: { state_type: 'Identify' },
  task: { task_type: 'Verify' },
});

/** How many of `answers` have each status, as `{ "200": 47, "409": 1 }`. */
function statuses(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Three Galera nodes in a temporary directory and three instances of the built service, one per node,
 * as docs/SCALING.md and the README's "Running on a Galera cluster" describe. The steps share the cluster
 * and run in order; the figures go to test-results/cluster.json.
 */
describe('three instances on a three-node Galera cluster', () => {
  let cluster: GaleraCluster;
  let nodes: GaleraNode[];
  const instances: Instance[] = [];
  const figures: Record<string, unknown> = {};
  const tenant = `cluster-${Date.now()}`;

  const retriesNow = async () => {
    let total = 0;
    for (const instance of instances) total += await instance.retries();
    return total;
  };

  /** The rows of `sql` on every running node, which must all be equal; the first node's. */
  const onEveryNode = async <T>(sql: string, values: unknown[] = []): Promise<T[]> => {
    const answers: T[][] = [];
    for (const node of nodes.filter((n) => n.running)) {
      answers.push(await node.query<T>(sql, DATABASE, values));
    }
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    return answers[0];
  };

  /** Composite start of `services` through instance `i` (round robin over the three). */
  const composite = (i: number, services: object[]) =>
    instances[i % instances.length].call('POST', `${API}/services_composite/start`, { services });

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    const startedAt = Date.now();
    cluster = await GaleraCluster.create(3);
    nodes = cluster.nodes;
    figures.cluster_start_ms = Date.now() - startedAt;
    await nodes[0].query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4`);
  }, 300_000);

  afterAll(async () => {
    for (const instance of instances) instance.process.kill();
    await cluster?.destroy();
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/cluster.json', `${JSON.stringify(figures, null, 2)}\n`);
  });

  it('boots three instances at once: the migrations run once, on one of them', async () => {
    for (const node of nodes) {
      const port = await freePort();
      const process = new ServiceProcess({
        DATABASE_URL: node.databaseUrl(DATABASE),
        PORT: String(port),
        DEFAULT_TENANT: tenant,
        SWEEP_INTERVAL: '1s',
      });
      instances.push(new Instance(process, port));
    }
    await Promise.all(instances.map((i) => i.process.logged(/listening on/, 120_000)));
    const migrators = instances.filter((i) =>
      i.process.lines.some((line) => /^applied /.test(String(line.msg))),
    );
    expect(migrators).toHaveLength(1);
    const rows = await onEveryNode<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
    expect(await onEveryNode('SELECT * FROM migrations_lock')).toEqual([]);
    // The composite routine is DDL too: every node has it, whichever instance created it.
    const routines = await onEveryNode<{ name: string }>(
      'SELECT ROUTINE_NAME AS name FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()',
    );
    expect(routines.map((routine) => routine.name)).toEqual(['composite_start_fresh']);
    for (const instance of instances) {
      const health = await instance.call('GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.info.database).toEqual({
        status: 'up',
        engine: 'galera',
        nodeState: 'Synced',
        clusterStatus: 'Primary',
        clusterSize: 3,
      });
    }
  }, 180_000);

  it('gives 48 identical composite starts spread over the three instances one set of ids, for 20 keys', async () => {
    const retriesBefore = await retriesNow();
    const answers: Answer[] = [];
    for (let k = 0; k < KEYS; k++) {
      const customer = `race-${k}-${randomUUID()}`;
      const round = await Promise.all(
        Array.from({ length: RACERS }, (_, i) => composite(i, [event(customer)])),
      );
      answers.push(...round);
      expect(statuses(round)).toEqual({ 200: RACERS });
      const results = round.map((answer) => answer.body.services[0]);
      for (const kind of ['service', 'state', 'task'] as const) {
        const ids = new Set(results.map((result) => result[kind][`${kind}_id`]));
        expect(ids.size).toBe(1);
        expect(results.filter((result) => result[kind].created === 'true')).toHaveLength(1);
      }
      const [counts] = await onEveryNode<{ services: number; states: number; tasks: number }>(
        `SELECT COUNT(DISTINCT s.id) AS services, COUNT(DISTINCT st.id) AS states, COUNT(DISTINCT t.id) AS tasks
         FROM services s LEFT JOIN states st ON st.service_id = s.id LEFT JOIN tasks t ON t.service_id = s.id
         WHERE s.customer_id = ? AND s.completed_at IS NULL`,
        [customer],
      );
      expect(counts).toEqual({ services: 1, states: 1, tasks: 1 });
    }
    const latencies = answers.map((a) => a.endedAt - a.startedAt);
    figures.composite_races = {
      requests: answers.length,
      statuses: statuses(answers),
      retries: (await retriesNow()) - retriesBefore,
      p50_ms: percentile(latencies, 50),
      p99_ms: percentile(latencies, 99),
    };
  }, 300_000);

  it('resolves overlapping multi-event batches sent in opposite orders to one set of ids', async () => {
    const retriesBefore = await retriesNow();
    const answers: Answer[] = [];
    for (let round = 0; round < 5; round++) {
      const customers = [0, 1, 2, 3].map((i) => `batch-${round}-${i}-${randomUUID()}`);
      const forward = customers.map((customer) => event(customer));
      const backward = [...forward].reverse();
      const replies = await Promise.all(
        Array.from({ length: RACERS }, (_, i) => composite(i, i % 2 ? backward : forward)),
      );
      answers.push(...replies);
      expect(statuses(replies)).toEqual({ 200: RACERS });
      for (const customer of customers) {
        const results = replies.map((reply, i) => {
          const order = i % 2 ? backward : forward;
          return reply.body.services[order.findIndex((e) => e.service.customer_id === customer)];
        });
        for (const kind of ['service', 'state', 'task'] as const) {
          expect(new Set(results.map((result) => result[kind][`${kind}_id`])).size).toBe(1);
          expect(results.filter((result) => result[kind].created === 'true')).toHaveLength(1);
        }
      }
      const rows = await onEveryNode<{ customer_id: string; n: number }>(
        `SELECT customer_id, COUNT(*) AS n FROM services
         WHERE customer_id IN (?) AND completed_at IS NULL GROUP BY customer_id ORDER BY customer_id`,
        [customers],
      );
      expect(rows.map((row) => Number(row.n))).toEqual([1, 1, 1, 1]);
    }
    figures.composite_batches = {
      requests: answers.length,
      events: answers.length * 4,
      statuses: statuses(answers),
      retries: (await retriesNow()) - retriesBefore,
    };
  }, 300_000);

  it('takes 48 writers on one service across the three instances: no 5xx, one winner where one is expected, no lost merge key', async () => {
    const retriesBefore = await retriesNow();
    const all: Answer[] = [];
    const writers = <T>(make: (i: number) => Promise<T>) =>
      Promise.all(Array.from({ length: RACERS }, (_, i) => make(i)));
    const at = (i: number) => instances[i % instances.length];
    const started = await at(0).call('POST', `${API}/services/start`, {
      customer_id: `writers-${randomUUID()}`,
    });
    expect(started.status).toBe(201);
    const service = `${API}/services/${started.body.service_id}`;

    const stateStarts = await writers((i) =>
      at(i).call('POST', `${service}/states/start`, { state_type: `Queue${i}` }),
    );
    const taskStarts = await writers((i) =>
      at(i).call('POST', `${service}/tasks/start`, { task_type: `Task${i}` }),
    );
    const merges = await writers((i) =>
      at(i).call('PUT', `${service}/extensions/Notes/merge`, { [`key${i}`]: i }),
    );
    all.push(...stateStarts, ...taskStarts, ...merges);
    expect(statuses(stateStarts)).toEqual({ 201: RACERS });
    expect(statuses(taskStarts)).toEqual({ 201: RACERS });
    expect(statuses(merges)).toEqual({ 200: RACERS });
    expect(new Set(stateStarts.map((a) => a.body.state_id)).size).toBe(RACERS);
    expect(new Set(taskStarts.map((a) => a.body.task_id)).size).toBe(RACERS);

    const from = stateStarts[0].body.state_id;
    const transitions = await writers((i) =>
      at(i).call('POST', `${service}/states/transition`, {
        from: { state_id: from },
        to: { state_type: 'Transferred' },
      }),
    );
    all.push(...transitions);
    expect(statuses(transitions)).toEqual({ 201: 1, 409: RACERS - 1 });

    const ends = await writers((i) => at(i).call('POST', `${service}/end`, {}));
    all.push(...ends);
    expect(statuses(ends)).toEqual({ 204: 1, 409: RACERS - 1 });

    // mysql2 hands JSON values over parsed.
    const [row] = await onEveryNode<{ notes: object }>(
      `SELECT JSON_EXTRACT(extensions, '$.Notes') AS notes FROM services WHERE id = ?`,
      [started.body.service_id],
    );
    const merged = row.notes;
    expect(Object.keys(merged)).toHaveLength(RACERS);
    const [counts] = await onEveryNode<{ states: number; tasks: number; active: number }>(
      `SELECT (SELECT COUNT(*) FROM states WHERE service_id = ?) AS states,
              (SELECT COUNT(*) FROM tasks WHERE service_id = ?) AS tasks,
              (SELECT COUNT(*) FROM states WHERE service_id = ? AND completed_at IS NULL) AS active`,
      [started.body.service_id, started.body.service_id, started.body.service_id],
    );
    // 48 states and their transition's new one; all completed with the service.
    expect(counts).toEqual({ states: RACERS + 1, tasks: RACERS, active: 0 });
    expect(all.filter((a) => a.status >= 500)).toEqual([]);
    figures.plain_writers = {
      requests: all.length,
      statuses: statuses(all),
      retries: (await retriesNow()) - retriesBefore,
      lost_merge_keys: RACERS - Object.keys(merged).length,
    };
  }, 300_000);

  it('lets the sweepers of the three instances complete or delete each due service exactly once', async () => {
    const swept = () =>
      instances
        .flatMap((i) => i.process.lines)
        .map((line) => /deleted (\d+) expired and auto-completed (\d+)/.exec(String(line.msg)))
        .filter((match): match is RegExpExecArray => match !== null)
        .reduce(
          (sum, [, expired, completed]) => ({
            expired: sum.expired + Number(expired),
            completed: sum.completed + Number(completed),
          }),
          { expired: 0, completed: 0 },
        );
    const before = swept();
    const due = 30;
    const expiring: number[] = [];
    const completing: number[] = [];
    for (let i = 0; i < due; i++) {
      const a = await instances[i % 3].call('POST', `${API}/services/start`, {
        customer_id: `sweep-${randomUUID()}`,
        ttl: 1,
      });
      const b = await instances[(i + 1) % 3].call('POST', `${API}/services/start`, {
        customer_id: `sweep-${randomUUID()}`,
        auto_complete_after: 1,
      });
      expiring.push(a.body.service_id);
      completing.push(b.body.service_id);
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const now = swept();
      if (now.expired - before.expired >= due && now.completed - before.completed >= due) break;
      if (Date.now() > deadline) throw new Error(`the sweepers did ${JSON.stringify(now)}`);
      await sleep(250);
    }
    await sleep(2500); // another sweep or two of every instance: none may find them again
    const after = swept();
    expect({
      expired: after.expired - before.expired,
      completed: after.completed - before.completed,
    }).toEqual({ expired: due, completed: due });
    const [rows] = await onEveryNode<{ expired: number; completed: number }>(
      `SELECT (SELECT COUNT(*) FROM services WHERE id IN (?)) AS expired,
              (SELECT COUNT(*) FROM services WHERE id IN (?) AND completed_at IS NOT NULL) AS completed`,
      [expiring, completing],
    );
    expect(rows).toEqual({ expired: 0, completed: due });
    const failures = instances.flatMap((i) =>
      i.process.lines.filter((line) => Number(line.level) >= 50),
    );
    expect(failures).toEqual([]);
    figures.sweepers = { due_expired: due, due_auto_complete: due, ...after };
  }, 120_000);

  it('keeps serving on the survivors when a node is killed, answers fast 503s on the dead node, and heals when it rejoins', async () => {
    const answers: (Answer & { instance: number })[] = [];
    const health: (Answer & { instance: number })[] = [];
    let running = true;
    const loadStartedAt = Date.now();
    const load = instances.flatMap((instance, i) =>
      Array.from({ length: 8 }, async () => {
        while (running) {
          const answer = await composite(i, [event(`crash-${randomUUID()}`)]);
          answers.push({ ...answer, instance: i });
          if (answer.status !== 200) await sleep(20);
        }
      }),
    );
    const probes = instances.map(async (instance, i) => {
      while (running) {
        health.push({ ...(await instance.call('GET', '/health', undefined, 5000)), instance: i });
        await sleep(200);
      }
    });
    await sleep(3000);
    const killedAt = Date.now();
    await nodes[2].kill();
    await sleep(12_000);
    running = false;
    await Promise.all([...load, ...probes]);

    const survivors = answers.filter((a) => a.instance !== 2);
    const onDead = answers.filter((a) => a.instance === 2 && a.startedAt > killedAt + 1000);
    // Each refusal on a survivor, with when it started against the kill and why: the figure alone says nothing.
    const refusedOnSurvivors = survivors
      .filter((a) => a.status !== 200)
      .map((a) => `${a.status} at ${a.startedAt - killedAt} ms: ${String(a.body?.message)}`);
    expect(refusedOnSurvivors).toEqual([]);
    expect(onDead.length).toBeGreaterThan(10);
    expect(statuses(onDead)).toEqual({ 503: onDead.length });
    expect(onDead.every((a) => a.retryAfter === '1')).toBe(true);
    const freeze = Math.max(
      ...survivors.filter((a) => a.endedAt > killedAt).map((a) => a.endedAt - a.startedAt),
    );
    const deadLatencies = onDead.map((a) => a.endedAt - a.startedAt);
    expect(percentile(deadLatencies, 99)).toBeLessThan(1000);
    const deadHealth = health.filter((h) => h.instance === 2 && h.startedAt > killedAt + 1000);
    expect(deadHealth.length).toBeGreaterThan(0);
    expect(statuses(deadHealth)).toEqual({ 503: deadHealth.length });
    const survivorHealth = health.filter((h) => h.instance !== 2 && h.startedAt > killedAt);
    expect(survivorHealth.filter((h) => h.status !== 200)).toEqual([]);
    expect(Math.max(...survivorHealth.map((h) => h.endedAt - h.startedAt))).toBeLessThan(2000);

    // Every 200 is stored whole on every surviving node.
    const stored = async () => {
      const ok = answers.filter((a) => a.status === 200).map((a) => a.body.services[0]);
      const [row] = await onEveryNode<{ services: number; states: number; tasks: number }>(
        `SELECT (SELECT COUNT(*) FROM services WHERE id IN (?)) AS services,
                (SELECT COUNT(*) FROM states WHERE id IN (?)) AS states,
                (SELECT COUNT(*) FROM tasks WHERE id IN (?)) AS tasks`,
        [
          ok.map((r) => r.service.service_id),
          ok.map((r) => r.state.state_id),
          ok.map((r) => r.task.task_id),
        ],
      );
      expect(row).toEqual({ services: ok.length, states: ok.length, tasks: ok.length });
      return ok.length;
    };
    await stored();

    const rejoinStartedAt = Date.now();
    await nodes[2].recoverAndStart();
    const rejoinedAt = Date.now();
    let healed: Answer | undefined;
    while (Date.now() - rejoinedAt < 30_000) {
      healed = await composite(2, [event(`healed-${randomUUID()}`)]);
      if (healed.status === 200) break;
      await sleep(200);
    }
    expect(healed?.status).toBe(200);
    answers.push({ ...healed!, instance: 2 });
    const stillStored = await stored(); // now on all three nodes
    const steady = answers.filter((a) => a.endedAt < killedAt && a.startedAt >= loadStartedAt);
    figures.node_crash = {
      requests: answers.length,
      // 24 clients on the three instances before the kill: the cluster's steady rate on this machine.
      steady_requests_per_s: Math.round(steady.length / ((killedAt - loadStartedAt) / 1000)),
      survivors: statuses(survivors),
      dead_node_after_kill: statuses(onDead),
      dead_node_503_p50_ms: percentile(deadLatencies, 50),
      dead_node_503_p99_ms: percentile(deadLatencies, 99),
      freeze_ms: freeze,
      survivor_health: statuses(survivorHealth),
      survivor_health_max_ms: Math.max(...survivorHealth.map((h) => h.endedAt - h.startedAt)),
      rejoin_ms: rejoinedAt - rejoinStartedAt,
      instance_healed_after_ms: healed!.endedAt - rejoinedAt,
      stored_on_every_node: stillStored,
    };
  }, 180_000);

  it('answers 503 on the last node when two are killed (quorum lost), and /health says so', async () => {
    await nodes[1].kill();
    await nodes[2].kill();
    const lostAt = Date.now();
    let health: Answer | undefined;
    while (Date.now() - lostAt < 30_000) {
      health = await instances[0].call('GET', '/health', undefined, 5000);
      if (health.status === 503) break;
      await sleep(200);
    }
    expect(health?.status).toBe(503);
    expect(health?.body.message).toBe('unhealthy: database down');
    expect(health?.body.details).toEqual([
      {
        path: 'database',
        problem: expect.stringMatching(/^is down \(node .*, cluster non-Primary\)$/),
      },
    ]);
    const refused = await Promise.all(
      Array.from({ length: 20 }, () => composite(0, [event(`quorum-${randomUUID()}`)])),
    );
    expect(statuses(refused)).toEqual({ 503: 20 });
    for (const answer of refused) {
      expect(answer.body).toMatchObject({ exception: 'ServiceUnavailableException' });
      expect(answer.retryAfter).toBe('1');
    }
    const latencies = refused.map((a) => a.endedAt - a.startedAt);
    figures.quorum_lost = {
      health_503_after_ms: health!.endedAt - lostAt,
      requests: refused.length,
      statuses: statuses(refused),
      p99_ms: percentile(latencies, 99),
    };
  }, 120_000);
});
