import { InitialSchema1764201600000 } from './1764201600000-initial-schema';
import { ServiceSweepIndexes1764288000000 } from './1764288000000-service-sweep-indexes';
import { ServiceStatsIndex1764374400000 } from './1764374400000-service-stats-index';
import { CompositeStartRoutine1764460800000 } from './1764460800000-composite-start-routine';
import { ServiceNotes1764547200000 } from './1764547200000-service-notes';
import { ServiceImportSource1764633600000 } from './1764633600000-service-import-source';

/** Every migration, oldest first. Listed explicitly so the app, the CLI and the tests load the same set. */
export const migrations = [
  InitialSchema1764201600000,
  ServiceSweepIndexes1764288000000,
  ServiceStatsIndex1764374400000,
  CompositeStartRoutine1764460800000,
  ServiceNotes1764547200000,
  ServiceImportSource1764633600000,
];
