import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JourneyModule } from '../journey/journey.module';
import { ValidationModule } from '../validation/validation.module';
import { TaskEntity } from './task.entity';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

/** Tasks: the lowest step of the stair (services → states → tasks); it asks JourneyScope about parents. */
@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity]), JourneyModule, ValidationModule],
  controllers: [TasksController],
  providers: [TasksRepository, TasksService],
  exports: [TasksService],
})
export class TasksModule {}
