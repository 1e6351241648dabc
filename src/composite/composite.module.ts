import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { StatesModule } from '../states/states.module';
import { TasksModule } from '../tasks/tasks.module';
import { CompositeController } from './composite.controller';
import { CompositeRepository } from './composite.repository';

@Module({
  imports: [ServicesModule, StatesModule, TasksModule],
  controllers: [CompositeController],
  providers: [CompositeRepository],
})
export class CompositeModule {}
