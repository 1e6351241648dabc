import { Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsController } from './metrics.controller';
import { MetricsRecorder } from './metrics-recorder';
import { registerPoolGauges } from './pool-gauges';

/** A registry per application rather than prom-client's global one, so test applications never collide. */
function createRegistry(dataSource: DataSource): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerPoolGauges(registry, dataSource);
  return registry;
}

@Module({
  controllers: [MetricsController],
  providers: [
    { provide: Registry, inject: [DataSource], useFactory: createRegistry },
    MetricsRecorder,
  ],
  exports: [MetricsRecorder],
})
export class MetricsModule {}
