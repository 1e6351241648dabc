import { InitialSchema1764201600000 } from './1764201600000-initial-schema';
import { ServiceSweepIndexes1764288000000 } from './1764288000000-service-sweep-indexes';
import { ServiceStatsIndex1764374400000 } from './1764374400000-service-stats-index';

/** Every migration, oldest first. Listed explicitly so the app, the CLI and the tests load the same set. */
export const migrations = [
  InitialSchema1764201600000,
  ServiceSweepIndexes1764288000000,
  ServiceStatsIndex1764374400000,
];
