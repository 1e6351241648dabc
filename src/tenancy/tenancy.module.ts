import { Global, Module } from '@nestjs/common';
import { TenancyGuard } from './tenancy.guard';

@Global()
@Module({
  providers: [TenancyGuard],
  exports: [TenancyGuard],
})
export class TenancyModule {}
