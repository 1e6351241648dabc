import { forwardRef, Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { TasksModule } from '../tasks/tasks.module';
import { StatesController } from './states.controller';
import { StatesRepository } from './states.repository';
import { StatesService } from './states.service';

@Module({
  imports: [forwardRef(() => ServicesModule), forwardRef(() => TasksModule)],
  controllers: [StatesController],
  providers: [StatesRepository, StatesService],
  exports: [StatesService],
})
export class StatesModule {}
