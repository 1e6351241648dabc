import { Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsController } from './metrics.controller';
import { MetricsRecorder } from './metrics-recorder';
import { registerDatabaseStateGauges, registerPoolGauges } from './database-gauges';
import { DatabaseProbe } from '../database/database-probe';

/** A registry per application rather than prom-client's global one, so test applications never collide. */
function createRegistry(dataSource: DataSource, probe: DatabaseProbe): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerPoolGauges(registry, dataSource);
  registerDatabaseStateGauges(registry, probe);
  return registry;
}

@Module({
  controllers: [MetricsController],
  providers: [
    { provide: Registry, inject: [DataSource, DatabaseProbe], useFactory: createRegistry },
    MetricsRecorder,
  ],
  exports: [MetricsRecorder],
})
export class MetricsModule {}
