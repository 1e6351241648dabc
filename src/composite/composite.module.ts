import { Module } from '@nestjs/common';
import { JourneyModule } from '../journey/journey.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ServicesModule } from '../services/services.module';
import { StatesModule } from '../states/states.module';
import { TasksModule } from '../tasks/tasks.module';
import { CompositeController } from './composite.controller';
import { CompositeRepository } from './composite.repository';

/** Composite start: on top of the stair, it orchestrates the services, states and tasks modules. */
@Module({
  imports: [ServicesModule, StatesModule, TasksModule, JourneyModule, MetricsModule],
  controllers: [CompositeController],
  providers: [CompositeRepository],
})
export class CompositeModule {}
