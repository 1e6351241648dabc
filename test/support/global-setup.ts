import { dropWorkerDatabases, onServerDatabase, TEST_DATABASE_URL } from './test-database';

/** Every run starts from empty databases (the per-worker ones are created and migrated on first use). */
export default async function globalSetup(): Promise<void> {
  if (onServerDatabase) await dropWorkerDatabases(TEST_DATABASE_URL!);
}
