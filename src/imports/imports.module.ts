import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BusinessAttributesModule } from '../business-attributes/business-attributes.module';
import { ServicesModule } from '../services/services.module';
import { RequestValidationPipe } from '../validation/request-validation.pipe';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';
import { ServiceSourceEntity } from './service-source.entity';

/**
 * Import of exported services (docs/API.md §6.5): the endpoint and the `npm run import` CLI share
 * ImportsService. Each service is validated by the request pipe's rules, as a request body would be.
 */
@Module({
  // ServicesModule (with the states and tasks below it) brings the tables an import writes.
  imports: [
    TypeOrmModule.forFeature([ServiceSourceEntity]),
    ServicesModule,
    BusinessAttributesModule,
  ],
  controllers: [ImportsController],
  providers: [ImportsService, ImportsRepository, RequestValidationPipe],
  exports: [ImportsService],
})
export class ImportsModule {}
