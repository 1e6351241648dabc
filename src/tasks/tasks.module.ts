import { forwardRef, Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { StatesModule } from '../states/states.module';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

@Module({
  imports: [forwardRef(() => ServicesModule), forwardRef(() => StatesModule)],
  controllers: [TasksController],
  providers: [TasksRepository, TasksService],
  exports: [TasksService],
})
export class TasksModule {}
