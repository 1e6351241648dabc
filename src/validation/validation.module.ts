import { Global, Module } from '@nestjs/common';
import { RequestValidationPipe } from './request-validation.pipe';

@Global()
@Module({
  providers: [RequestValidationPipe],
  exports: [RequestValidationPipe],
})
export class ValidationModule {}
