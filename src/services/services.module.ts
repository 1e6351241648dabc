import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StatesModule } from '../states/states.module';
import { TasksModule } from '../tasks/tasks.module';
import { ValidationModule } from '../validation/validation.module';
import { ServiceEntity } from './service.entity';
import { ServiceReader } from './service-reader.service';
import { ServiceRetention } from './service-retention.service';
import { ServicesController } from './services.controller';
import { ServicesRepository } from './services.repository';
import { ServicesService } from './services.service';

/**
 * Services: the top of the journey stair. A service's completion cascades down to its tasks and states;
 * its reads nest them; retention (expiry, auto-complete, purge, export) removes services whole.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ServiceEntity]), ValidationModule, StatesModule, TasksModule],
  controllers: [ServicesController],
  providers: [ServicesRepository, ServicesService, ServiceReader, ServiceRetention],
  exports: [ServicesService, ServiceRetention],
})
export class ServicesModule {}
