import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
const SMALL = ['--innodb-buffer-pool-size=32M', '--innodb-log-file-size=16M'];

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** SIGKILL, as a crash or an OOM kill would, then waits for the process to be gone. */
export async function killOutright(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGKILL');
  await exited;
}

/**
 * A MariaDB server of the test's own, in a temporary data directory on a free port, so that a test can kill
 * it (SIGKILL, as a crash would) and start it again on the same data without touching any shared server.
 * Grant tables are skipped: anyone on loopback is root, and nothing outside the test knows the port.
 */
export class OwnMariaDb {
  private process: ChildProcess | undefined;

  private constructor(
    private readonly directory: string,
    readonly port: number,
  ) {}

  static async create(): Promise<OwnMariaDb> {
    const directory = await mkdtemp(path.join(tmpdir(), 'cs_ops_mariadb-'));
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${path.join(directory, 'data')}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...asRoot,
      ...SMALL,
    ]);
    const server = new OwnMariaDb(directory, await freePort());
    await server.start();
    return server;
  }

  /** A DATABASE_URL for a database on this server (created when missing). */
  async databaseUrl(database: string): Promise<string> {
    await this.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4`);
    return `mariadb://root@127.0.0.1:${this.port}/${database}`;
  }

  async query<T = unknown>(sql: string, database?: string): Promise<T[]> {
    const connection = await createConnection({
      host: '127.0.0.1',
      port: this.port,
      user: 'root',
      database,
    });
    try {
      const [rows] = await connection.query(sql);
      return rows as T[];
    } finally {
      await connection.end();
    }
  }

  /** Starts the server on its data directory and port, and waits until it accepts connections. */
  async start(): Promise<void> {
    const dir = this.directory;
    this.process = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${path.join(dir, 'data')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(dir, 'mariadb.sock')}`,
        `--pid-file=${path.join(dir, 'mariadb.pid')}`,
        `--log-error=${path.join(dir, 'error.log')}`,
        '--skip-grant-tables',
        ...asRoot,
        ...SMALL,
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline || this.process.exitCode !== null) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** Kills the server outright, as a crash or an OOM kill would, and waits until it is gone. */
  async kill(): Promise<void> {
    const server = this.process;
    this.process = undefined;
    await killOutright(server);
  }

  /** Kills the server and deletes its data directory. */
  async destroy(): Promise<void> {
    await this.kill();
    await rm(this.directory, { recursive: true, force: true });
  }
}
