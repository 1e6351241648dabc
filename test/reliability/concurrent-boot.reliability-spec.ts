import { existsSync } from 'node:fs';
import { freePort, OwnMariaDb } from '../support/own-mariadb';
import { MAIN, ServiceProcess } from '../support/service-process';
import { migrations } from '../../migrations';

/**
 * Two instances of the built service booting at the same moment on an empty database: one runs the
 * migrations under the database's lock while the other waits, so both come up quietly (no error logged)
 * and every migration ran exactly once.
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
  }, 120_000);
});
