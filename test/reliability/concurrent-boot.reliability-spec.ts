import { existsSync } from 'node:fs';
import { freePort, OwnMariaDb } from '../support/own-mariadb';
import { MAIN, ServiceProcess } from '../support/service-process';
import { migrations } from '../../migrations';

/**
 * Two instances of the built service booting at the same moment on an empty database: one runs the
 * migrations under the database's lock while the other waits, so both come up quietly (no error logged)
 * and every migration ran exactly once. The lock is a row with a lease (src/database/migration-runner.ts),
 * so that it holds across the nodes of a Galera cluster too (test/cluster).
 */
describe('two instances booting at once on an empty database', () => {
  let db: OwnMariaDb;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    db = await OwnMariaDb.create();
  }, 60_000);

  afterAll(async () => {
    for (const service of services) service.kill();
    await db?.destroy();
  });

  it('migrates once, and both answer', async () => {
    const url = await db.databaseUrl('cs_ops_boot');
    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      services.push(
        new ServiceProcess({ DATABASE_URL: url, PORT: String(port), SWEEP_INTERVAL: '0' }),
      );
    }
    await Promise.all(services.map((service) => service.logged(/listening on/, 60_000)));
    for (const port of ports) {
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    }
    const errors = services.flatMap((service) =>
      service.lines.filter((line) => Number(line.level) >= 50),
    );
    expect(errors).toEqual([]);
    const rows = await db.query<{ name: string }>(
      'SELECT name FROM migrations ORDER BY id',
      'cs_ops_boot',
    );
    expect(rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
    expect(await db.query('SELECT * FROM migrations_lock', 'cs_ops_boot')).toEqual([]);
  }, 120_000);

  it('takes over the lock of an instance that died while holding it, once its lease ran out', async () => {
    const url = await db.databaseUrl('cs_ops_orphan');
    await db.query(
      `CREATE TABLE migrations_lock (id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
         holder CHAR(36) NOT NULL, expires_at DATETIME(3) NOT NULL)`,
      'cs_ops_orphan',
    );
    // A holder that stopped renewing 2 s before its lease ends: the boot waits for the lease, then migrates.
    await db.query(
      `INSERT INTO migrations_lock VALUES
         (1, '00000000-dead-4000-8000-000000000000', UTC_TIMESTAMP(3) + INTERVAL 2 SECOND)`,
      'cs_ops_orphan',
    );
    const startedAt = Date.now();
    const service = new ServiceProcess({
      DATABASE_URL: url,
      PORT: String(await freePort()),
      SWEEP_INTERVAL: '0',
    });
    services.push(service);
    await service.logged(/listening on/, 60_000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1500);
    const rows = await db.query<{ name: string }>('SELECT name FROM migrations', 'cs_ops_orphan');
    expect(rows).toHaveLength(migrations.length);
  }, 120_000);
});
