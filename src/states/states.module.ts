import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JourneyModule } from '../journey/journey.module';
import { TasksModule } from '../tasks/tasks.module';
import { ValidationModule } from '../validation/validation.module';
import { StateEntity } from './state.entity';
import { StatesController } from './states.controller';
import { StatesRepository } from './states.repository';
import { StatesService } from './states.service';

/** States: above tasks (a state's completion cascades to its tasks), below services. */
@Module({
  imports: [TypeOrmModule.forFeature([StateEntity]), JourneyModule, ValidationModule, TasksModule],
  controllers: [StatesController],
  providers: [StatesRepository, StatesService],
  exports: [StatesService],
})
export class StatesModule {}
