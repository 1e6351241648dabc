import { Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { appConfig } from './app-config';

/**
 * Loads `.env` (if present; real environment variables win) and validates the result when the application
 * is created, so a bad setting stops the boot with a message naming it. Validating in a `load` factory
 * rather than at import time lets each test application start with its own environment.
 */
@Module({
  imports: [NestConfigModule.forRoot({ isGlobal: true, envFilePath: ['.env'], load: [appConfig] })],
})
export class ConfigModule {}
