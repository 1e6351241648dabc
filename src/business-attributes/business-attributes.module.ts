import { Module } from '@nestjs/common';
import { BusinessAttributesController } from './business-attributes.controller';
import { BusinessAttributesService } from './business-attributes.service';

@Module({
  controllers: [BusinessAttributesController],
  providers: [BusinessAttributesService],
  exports: [BusinessAttributesService],
})
export class BusinessAttributesModule {}
