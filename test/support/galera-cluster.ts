import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort, killOutright } from './own-mariadb';

const run = promisify(execFile);
const PROVIDER = '/usr/lib/galera/libgalera_smm.so';
/**
 * rsync's daemon, which the joiner starts for the state transfer, drops to `nobody` when started as root
 * and then cannot write the data directory: the nodes run as the `mysql` user instead.
 */
const asMysql = process.getuid?.() === 0 ? ['--user=mysql'] : [];
const SMALL = ['--innodb-buffer-pool-size=32M', '--innodb-log-file-size=16M'];

interface NodePorts {
  sql: number;
  group: number;
  ist: number;
  sst: number;
}

/** One Galera node: a mariadbd process on its own data directory and loopback ports. */
export class GaleraNode {
  private process: ChildProcess | undefined;

  constructor(
    readonly name: string,
    private readonly directory: string,
    readonly ports: NodePorts,
    private readonly clusterAddress: string,
  ) {}

  get port(): number {
    return this.ports.sql;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  databaseUrl(database: string): string {
    return `mariadb://root@127.0.0.1:${this.ports.sql}/${database}`;
  }

  async query<T = unknown>(sql: string, database?: string, values: unknown[] = []): Promise<T[]> {
    const connection = await createConnection({
      host: '127.0.0.1',
      port: this.ports.sql,
      user: 'root',
      database,
      connectTimeout: 2000,
    });
    try {
      const [rows] = await connection.query(sql, values);
      return rows as T[];
    } finally {
      await connection.end();
    }
  }

  async status(): Promise<Record<string, string>> {
    const rows = await this.query<{ Variable_name: string; Value: string }>(
      "SHOW GLOBAL STATUS LIKE 'wsrep_%'",
    );
    return Object.fromEntries(rows.map((row) => [row.Variable_name, row.Value]));
  }

  private arguments(): string[] {
    const dir = this.directory;
    const { group, ist, sst, sql } = this.ports;
    return [
      '--no-defaults',
      `--datadir=${path.join(dir, 'data')}`,
      `--port=${sql}`,
      '--bind-address=127.0.0.1',
      `--socket=${path.join(dir, 'mariadb.sock')}`,
      `--pid-file=${path.join(dir, 'mariadb.pid')}`,
      `--log-error=${path.join(dir, 'error.log')}`,
      ...asMysql,
      ...SMALL,
      // The settings config/galera.cnf recommends, so that the suite tests what operators run.
      '--binlog-format=ROW',
      '--default-storage-engine=InnoDB',
      '--innodb-autoinc-lock-mode=2',
      '--innodb-lock-wait-timeout=5',
      '--innodb-flush-log-at-trx-commit=2',
      '--wsrep-on=ON',
      `--wsrep-provider=${PROVIDER}`,
      '--wsrep-cluster-name=cs_cluster_test',
      `--wsrep-cluster-address=${this.clusterAddress}`,
      `--wsrep-node-name=${this.name}`,
      `--wsrep-node-address=127.0.0.1:${group}`,
      `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${group};ist.recv_addr=127.0.0.1:${ist};gcache.size=64M`,
      '--wsrep-sst-method=rsync',
      `--wsrep-sst-receive-address=127.0.0.1:${sst}`,
      '--wsrep-sync-wait=1',
    ];
  }

  /** Starts the node (the first one founds the cluster) and waits until it is synced. */
  async start(options: { bootstrap?: boolean; startPosition?: string } = {}): Promise<void> {
    const extra = [
      ...(options.bootstrap ? ['--wsrep-new-cluster'] : []),
      ...(options.startPosition ? [`--wsrep-start-position=${options.startPosition}`] : []),
    ];
    const child = spawn('mariadbd', [...this.arguments(), ...extra], { stdio: 'ignore' });
    this.process = child;
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        const status = await this.status();
        if (status.wsrep_local_state_comment === 'Synced' && status.wsrep_ready === 'ON') return;
      } catch (error) {
        if (child.exitCode !== null) throw new Error(`${this.name} exited: ${await this.log()}`);
        if (Date.now() > deadline)
          throw new Error(`${this.name}: ${String(error)}: ${await this.log()}`);
      }
      if (Date.now() > deadline) throw new Error(`${this.name} never synced: ${await this.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Starts a node that crashed: `--wsrep-recover` reads the last committed position from InnoDB, and a
   * node that knows it rejoins with an incremental transfer (IST) rather than a full copy.
   */
  async recoverAndStart(): Promise<void> {
    const log = path.join(this.directory, 'recover.log');
    await run('mariadbd', [
      ...this.arguments().map((arg) =>
        arg.startsWith('--log-error=') ? `--log-error=${log}` : arg,
      ),
      '--wsrep-recover',
    ]);
    const recovered = /Recovered position: (\S+)/.exec(await readFile(log, 'utf8'));
    await this.start({ startPosition: recovered?.[1] });
  }

  /** Kills the node outright, as a crash would, and waits until it is gone. */
  async kill(): Promise<void> {
    const server = this.process;
    this.process = undefined;
    await killOutright(server);
  }

  async log(): Promise<string> {
    const text = await readFile(path.join(this.directory, 'error.log'), 'utf8').catch(() => '');
    return text.split('\n').slice(-30).join('\n');
  }

  async install(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await chmod(this.directory, 0o777);
    // Root without a password, and the grant tables on, as in production: with --skip-grant-tables a stored
    // routine gets no definer, and Galera does not replicate its CREATE to the other nodes.
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${path.join(this.directory, 'data')}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...asMysql,
      ...SMALL,
    ]);
  }
}

/**
 * A Galera cluster of the test's own: `size` nodes in a temporary directory on free loopback ports, the
 * first bootstrapping the cluster and the others joining it by state transfer (rsync).
 */
export class GaleraCluster {
  private constructor(
    private readonly directory: string,
    readonly nodes: GaleraNode[],
  ) {}

  static async create(size = 3): Promise<GaleraCluster> {
    const directory = await mkdtemp(path.join(tmpdir(), 'cs_galera-'));
    await chmod(directory, 0o755);
    const ports: NodePorts[] = [];
    for (let i = 0; i < size; i++) {
      ports.push({
        sql: await freePort(),
        group: await freePort(),
        ist: await freePort(),
        sst: await freePort(),
      });
    }
    const address = `gcomm://${ports.map((p) => `127.0.0.1:${p.group}`).join(',')}`;
    const nodes = ports.map(
      (p, i) => new GaleraNode(`node${i + 1}`, path.join(directory, `node${i + 1}`), p, address),
    );
    const cluster = new GaleraCluster(directory, nodes);
    try {
      await nodes[0].install();
      await nodes[0].start({ bootstrap: true });
      for (const node of nodes.slice(1)) {
        await node.install();
        await node.start();
      }
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  async destroy(): Promise<void> {
    for (const node of this.nodes) await node.kill();
    await rm(this.directory, { recursive: true, force: true });
  }
}
