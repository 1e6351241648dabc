import { Module } from '@nestjs/common';
import { JourneyScope } from './journey-scope';

/** The kernel under the services, states and tasks modules: the parent checks they all ask. */
@Module({
  providers: [JourneyScope],
  exports: [JourneyScope],
})
export class JourneyModule {}
