import { Module } from '@nestjs/common';
import { ExtensionsPolicy } from './extensions.policy';

/** The extension rules the services apply to replace and merge (the request pipe is the AppModule's). */
@Module({
  providers: [ExtensionsPolicy],
  exports: [ExtensionsPolicy],
})
export class ValidationModule {}
