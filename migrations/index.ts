import { InitialSchema1764201600000 } from './1764201600000-initial-schema';
import { ServiceSweepIndexes1764288000000 } from './1764288000000-service-sweep-indexes';

/** Every migration, oldest first. Listed explicitly so the app, the CLI and the tests load the same set. */
export const migrations = [InitialSchema1764201600000, ServiceSweepIndexes1764288000000];
