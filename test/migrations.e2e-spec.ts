import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { ResourceApi } from './support/resource-api';
import { createTestApp, TestApp, uniqueId } from './support/test-app';
import { onServerDatabase, recreateDatabase, workerDatabaseUrl } from './support/test-database';

/** Everything a read can show of a service: every nested level, every extension. */
const FULL =
  'active_states=true&completed_states=true&active_tasks=true&completed_tasks=true&extensions=*';

/** The names of the migrations applied, oldest first. */
async function applied(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(
    'SELECT name FROM migrations ORDER BY id',
  );
  return rows.map((row) => row.name);
}

/**
 * The schema as the engine describes it: every table's and index's definition (and, on MariaDB, the
 * routines), with the counters that data moves taken out.
 */
async function schema(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type === 'sqljs') {
    const rows: { sql: string | null }[] = await dataSource.query(
      "SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    );
    return rows.map((row) => row.sql ?? '');
  }
  const tables: { name: string }[] = await dataSource.query(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1',
  );
  const definitions: string[] = [];
  for (const { name } of tables) {
    const [row]: Record<string, string>[] = await dataSource.query(`SHOW CREATE TABLE \`${name}\``);
    definitions.push(row['Create Table'].replace(/ AUTO_INCREMENT=\d+/, ''));
  }
  const routines: { name: string }[] = await dataSource.query(
    'SELECT routine_name AS name FROM information_schema.routines WHERE routine_schema = DATABASE()',
  );
  return [...definitions, ...routines.map((routine) => `routine ${routine.name}`)];
}

/** A database of this test's own on MariaDB (it empties it); an in-memory one on the embedded engine. */
function ownDatabaseUrl(): string | undefined {
  if (!onServerDatabase) return undefined;
  const url = new URL(workerDatabaseUrl());
  url.pathname = `${url.pathname}_upgrade`;
  return url.toString();
}

/**
 * Upgrades and downgrades in place (README, "Running it on a server"): on a database holding journeys made
 * through the API (composite start, plain starts, transitions, completions, extensions replaced and merged,
 * an association, an expiration), every migration after the first is reverted one by one, newest first, and
 * applied again; after each step the journeys read back through the API exactly as before, and writes work
 * once the schema is current again. The first migration creates the schema and its revert removes it: it
 * goes down to a database with no table of the service and up to the same schema as before.
 */
describe('migrations up and down on a database that holds journeys', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  const tenant = uniqueId('upgrade');
  const api = new ResourceApi(() => t, tenant);
  const customer = uniqueId('caller');
  const contactKey = uniqueId('+3361');
  let anonymous: number;

  /** Every journey of the tenant, as the API shows it. */
  const journeys = async () => {
    const customers = await api.get(`/customers/${customer}/services?${FULL}`).expect(200);
    const keyed = await api.get(`/services/anonymous/${contactKey}?${FULL}`).expect(200);
    const single = await api.get(`/services/${anonymous}?${FULL}`).expect(200);
    return { customers: customers.body, keyed: keyed.body, single: single.body };
  };

  beforeAll(async () => {
    const databaseUrl = ownDatabaseUrl();
    if (databaseUrl) await recreateDatabase(databaseUrl);
    t = await createTestApp({ databaseUrl, env: { SWEEP_INTERVAL: '0' } });

    const composite = await api
      .post('/services_composite/start', {
        services: [
          {
            service: {
              customer_id: customer,
              service_type: 'Sales',
              media_type: 'voice',
              RelatedOffers: { offers: ['fibre', 'mobile'], score: 0.82 },
            },
            state: { state_type: 'Identify', Feedback: { rating: 4 } },
            task: { task_type: 'Verify', Attempt: 1 },
            associate_state_task: true,
          },
          {
            service: { customer_id: customer, service_type: 'Support', media_type: 'chat' },
            state: { state_type: 'Queue', interaction_id: 'chat-77' },
          },
        ],
      })
      .expect(200);
    const [sales, support] = composite.body.services;
    const serviceId: number = sales.service.service_id;
    await api
      .post(`/services/${serviceId}/tasks/${sales.task.task_id}/end`, { disposition: 'Verified' })
      .expect(204);
    await api
      .post(`/services/${serviceId}/states/transition`, {
        from: { state_id: sales.state.state_id, disposition: 'Identified' },
        to: { state_type: 'Offer' },
        Offer: { code: 'F-100' },
      })
      .expect(201);
    await api
      .put(`/services/${serviceId}/extensions/RelatedOffers/merge`, { accepted: 'fibre' })
      .expect(200);
    await api.put(`/services/${support.service.service_id}`, { ttl: 86_400 * 30 }).expect(200);
    await api
      .post(`/services/${support.service.service_id}/end`, { disposition: 'Resolved' })
      .expect(204);

    anonymous = await api.startService({
      customer_id: undefined,
      contact_key: contactKey,
      service_type: 'Billing',
      Channel: { ivr: 'main-menu' },
    });
    const state = await api.startState(anonymous, { state_type: 'Menu' });
    await api.startTask(anonymous, { task_type: 'Lookup', state_id: state, Lookup: 'invoice' });
    const associated = await api.startService({
      contact_key: uniqueId('+3362'),
      customer_id: undefined,
    });
    await api
      .post(`/customers/${customer}/services/${associated}`, { Reason: 'identified' })
      .expect(200);
  });

  afterAll(() => t?.close());

  it('every migration after the first goes down and up again, and the journeys read back the same', async () => {
    const before = await journeys();
    expect(before.customers).toHaveLength(3);
    expect(await applied(t.dataSource)).toEqual(migrations.map((migration) => migration.name));

    for (const migration of [...migrations].slice(1).reverse()) {
      await t.dataSource.undoLastMigration({ transaction: 'each' });
      expect(await applied(t.dataSource)).not.toContain(migration.name);
      expect(await journeys()).toEqual(before);
    }
    expect(await applied(t.dataSource)).toEqual([migrations[0].name]);

    for (const migration of migrations.slice(1)) {
      await t.dataSource.runMigrations({ transaction: 'each' });
      expect(await applied(t.dataSource)).toContain(migration.name);
      expect(await journeys()).toEqual(before);
    }

    // The schema is current again: composite start (on MariaDB through the routine the last migration
    // made again) adds to the same journeys.
    const added = await api
      .post('/services_composite/start', {
        services: [
          {
            service: { customer_id: uniqueId(), service_type: 'Sales' },
            state: { state_type: 'Identify' },
            task: { task_type: 'Verify' },
          },
        ],
      })
      .expect(200);
    expect(added.body.services[0].task.created).toBe('true');
    expect(await journeys()).toEqual(before);
  });

  it('the first migration goes down to an empty schema and up to the same schema as before', async () => {
    const current = await schema(t.dataSource);
    for (let left = migrations.length; left > 0; left -= 1) {
      await t.dataSource.undoLastMigration({ transaction: 'each' });
    }
    expect(await applied(t.dataSource)).toEqual([]);
    const emptied = await schema(t.dataSource);
    expect(emptied.join('\n')).not.toMatch(/\b(services|states|tasks)\b/);

    await t.dataSource.runMigrations({ transaction: 'each' });
    expect(await applied(t.dataSource)).toEqual(migrations.map((migration) => migration.name));
    expect(await schema(t.dataSource)).toEqual(current);
    const id = await api.startService();
    await api.get(`/services/${id}`).expect(200);
  });

  it('the entities declare every index and foreign key the migrations made (migration:generate drops none)', async () => {
    const runner = t.dataSource.createQueryRunner();
    const respelled: Record<string, string[]> = {};
    try {
      for (const metadata of t.dataSource.entityMetadatas) {
        const [table] = await runner.getTables([metadata.tableName]);
        const inDatabase = {
          indices: table.indices.map((index) => index.name).sort(),
          foreignKeys: table.foreignKeys.map((key) => [key.name, key.onDelete]).sort(),
        };
        const declared = {
          indices: metadata.indices.map((index) => index.name).sort(),
          foreignKeys: metadata.foreignKeys.map((key) => [key.name, key.onDelete]).sort(),
        };
        expect({ table: metadata.tableName, ...declared }).toEqual({
          table: metadata.tableName,
          ...inDatabase,
        });
        const changed = t.dataSource.driver.findChangedColumns(table.columns, metadata.columns);
        respelled[metadata.tableName] = changed.map((c) => c.databaseName);
      }
    } finally {
      await runner.release();
    }
    if (onServerDatabase) {
      // On MariaDB and MySQL the entities match the schema exactly: `npm run migration:generate` on an
      // up-to-date database drafts nothing.
      const draft = await t.dataSource.driver.createSchemaBuilder().log();
      expect(draft.upQueries.map((query) => query.query)).toEqual([]);
    } else {
      // The embedded engine's draft rebuilds tables for spellings TypeORM cannot declare for both engines
      // (docs/DEVELOPING.md, "Adding a migration"): an autoincrement key must be INTEGER on SQLite and is
      // BIGINT on MariaDB, an `int` column reads back as `int` where TypeORM expects `integer`, and a foreign
      // key's unstated ON UPDATE reads back as SQLite's NO ACTION where MariaDB reports RESTRICT. Nothing
      // else may differ: a column, index or key the entities forget fails here too.
      const spelled = Object.fromEntries(
        t.dataSource.entityMetadatas.map((metadata) => [
          metadata.tableName,
          metadata.columns
            .filter((column) => column.isGenerated || column.type === 'int')
            .map((column) => column.databaseName),
        ]),
      );
      expect(respelled).toEqual(spelled);
    }
  });
});
