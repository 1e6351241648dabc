import { existsSync } from 'node:fs';
import { createConnection, Connection } from 'mysql2/promise';
import { freePort, OwnMariaDb } from '../support/own-mariadb';
import { MAIN, ServiceProcess } from '../support/service-process';
import { API_BASE_PATH } from '../../src/http/api-base-path';

const START = `${API_BASE_PATH}/services_composite/start`;

const body = JSON.stringify({
  services: [
    {
      service: { customer_id: 'in-flight', service_type: 'Shutdown' },
      state: { state_type: 'Draining' },
      task: { task_type: 'Finish' },
    },
  ],
});

describe('SIGTERM', () => {
  let db: OwnMariaDb;
  let url: string;
  let locker: Connection;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    db = await OwnMariaDb.create();
    url = await db.databaseUrl('cs_ops_shutdown');
    locker = await createConnection({
      host: '127.0.0.1',
      port: db.port,
      user: 'root',
      database: 'cs_ops_shutdown',
    });
  }, 60_000);

  afterEach(async () => {
    await locker.query('UNLOCK TABLES');
    service?.kill();
  });

  afterAll(async () => {
    await locker?.end();
    await db?.destroy();
  });

  async function startService(env: Record<string, string> = {}) {
    const port = await freePort();
    service = new ServiceProcess({ PORT: String(port), DATABASE_URL: url, ...env });
    await service.logged(/listening on/);
    return { service, base: `http://127.0.0.1:${port}` };
  }

  /** Holds a write lock on the services table: composite start then waits inside its transaction. */
  async function holdRequestsInFlight(): Promise<void> {
    await locker.query('LOCK TABLES services WRITE');
  }

  async function requestWaitingOnLock(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const waiting = await db.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE state LIKE 'Waiting for table%'",
      );
      if (Number(waiting[0].n) > 0) return;
      if (Date.now() > deadline) throw new Error('the request never reached the database');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('stops accepting, lets the request in flight finish and commit, closes the pool and exits 0', async () => {
    const { service, base } = await startService();
    await holdRequestsInFlight();
    const inFlight = fetch(base + START, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'in-flight-1' },
      body,
    });
    await requestWaitingOnLock();

    service.terminate();
    await service.logged(/no longer accepting connections/);
    await expect(fetch(`${base}/health`)).rejects.toThrow();

    await locker.query('UNLOCK TABLES');
    const response = await inFlight;
    expect(response.status).toBe(200);
    const result = (await response.json()) as { services: { task: { task_id: number } }[] };
    expect(await service.exited).toEqual({ code: 0, signal: null });

    const stored = await db.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM tasks WHERE id = ${result.services[0].task.task_id}`,
      'cs_ops_shutdown',
    );
    expect(Number(stored[0].n)).toBe(1);
    // Structured logs all along: every line JSON, the request's under its id.
    expect(service.lines.filter((line) => line.reqId === 'in-flight-1')).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        res: expect.objectContaining({ statusCode: 200 }),
      }),
    ]);
    expect(service.lines.at(-1)).toMatchObject({ msg: 'HTTP server closed' });
  }, 60_000);

  it('cuts a request that outlives SHUTDOWN_TIMEOUT_MS and, with its query stuck in the database, exits 1 soon after', async () => {
    const { service, base } = await startService({ SHUTDOWN_TIMEOUT_MS: '500' });
    await holdRequestsInFlight();
    const inFlight = fetch(base + START, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    }).catch((error: unknown) => error);
    await requestWaitingOnLock();

    service.terminate();
    expect(await inFlight).toMatchObject({ message: 'fetch failed' });
    expect(await service.exited).toEqual({ code: 1, signal: null });
    await service.logged(/still running after 500 ms/, 0);
    await service.logged(/shutdown still not done after 5500 ms; exiting/, 0);
  }, 60_000);
});
