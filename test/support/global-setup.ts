import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropWorkerDatabases, onServerDatabase, TEST_DATABASE_URL } from './test-database';

/**
 * Every run starts from empty databases (the per-worker ones are created and migrated on first use) and
 * without the export files earlier runs' test applications wrote.
 */
export default async function globalSetup(): Promise<void> {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('cs-test-exports-'))) {
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  if (onServerDatabase) await dropWorkerDatabases(TEST_DATABASE_URL!);
}
