import { Global, Module } from '@nestjs/common';
import { ExtensionsPolicy } from './extensions.policy';
import { RequestValidationPipe } from './request-validation.pipe';

@Global()
@Module({
  providers: [RequestValidationPipe, ExtensionsPolicy],
  exports: [RequestValidationPipe, ExtensionsPolicy],
})
export class ValidationModule {}
