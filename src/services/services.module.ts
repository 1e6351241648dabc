import { forwardRef, Module } from '@nestjs/common';
import { StatesModule } from '../states/states.module';
import { TasksModule } from '../tasks/tasks.module';
import { ServicesController } from './services.controller';
import { ServicesRepository } from './services.repository';
import { ServiceReader } from './service-reader.service';
import { ServicesService } from './services.service';

/**
 * Services. Its controller also reads and completes the service's states and tasks; the states and tasks
 * controllers in turn check their service, hence the forward references between the three modules (their
 * services themselves do not depend on each other).
 */
@Module({
  imports: [forwardRef(() => StatesModule), forwardRef(() => TasksModule)],
  controllers: [ServicesController],
  providers: [ServicesRepository, ServicesService, ServiceReader],
  exports: [ServicesService, ServiceReader],
})
export class ServicesModule {}
