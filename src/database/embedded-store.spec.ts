import { mkdtempSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.factory';
import { EmbeddedStore } from './embedded-store';

jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  return { ...actual, rename: jest.fn(actual.rename) };
});

describe('EmbeddedStore', () => {
  let directory: string;
  let file: string;
  let dataSource: DataSource;
  let store: EmbeddedStore;

  const insertService = (customer: string) =>
    dataSource.query(
      `INSERT INTO services (tenant_id, customer_id, started_at, last_activity_at) VALUES ('t', ?, 1, 1)`,
      [customer],
    );
  const services = async () =>
    (await dataSource.query<{ customer_id: string }[]>('SELECT customer_id FROM services')).map(
      (r) => r.customer_id,
    );

  beforeEach(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'cs-embedded-'));
    file = path.join(directory, 'nested', 'cs.sqlite');
    dataSource = await new DataSource(
      dataSourceOptions({ DATABASE_URL: `sqlite:${file}`, DB_POOL_SIZE: 1, MIGRATIONS_RUN: true }),
    ).initialize();
    store = new EmbeddedStore(dataSource);
    await store.onApplicationBootstrap();
  });

  afterEach(async () => {
    await dataSource.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes the database to its file, which a new DataSource reads back', async () => {
    await insertService('kept');
    await store.persist();
    const reopened = await new DataSource(
      dataSourceOptions({ DATABASE_URL: `sqlite:${file}`, DB_POOL_SIZE: 1, MIGRATIONS_RUN: false }),
    ).initialize();
    try {
      expect(await reopened.query('SELECT customer_id FROM services')).toEqual([
        { customer_id: 'kept' },
      ]);
    } finally {
      await reopened.destroy();
    }
  });

  it('keeps foreign keys on after saving (sql.js turns them off when it exports)', async () => {
    await store.persist();
    expect(await dataSource.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });

  it('reverts memory to the last saved file when the file cannot be written', async () => {
    await insertService('saved');
    await store.persist();
    await insertService('lost');
    jest.mocked(rename).mockRejectedValueOnce(new Error('ENOSPC: no space left on device'));
    await expect(store.persist()).rejects.toThrow('ENOSPC');
    expect(await services()).toEqual(['saved']);
    expect(await dataSource.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });
});
