import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, Logger } from 'pino';
import { AppConfig, appConfig } from '../config/app-config';
import { createRootLogger, logDestination } from './logger';

/** Where log lines go; tests replace it to read what the service logs. */
export const LOG_DESTINATION = 'LOG_DESTINATION';
/** The application's one pino logger; `configureApp` mounts the request logger built on it. */
export const ROOT_LOGGER = 'ROOT_LOGGER';

@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [
        { provide: LOG_DESTINATION, inject: [appConfig.KEY], useFactory: logDestination },
        {
          provide: ROOT_LOGGER,
          inject: [appConfig.KEY, LOG_DESTINATION],
          useFactory: (config: AppConfig, destination: DestinationStream) =>
            createRootLogger(config, destination),
        },
      ],
      inject: [ROOT_LOGGER],
      // No middleware of nestjs-pino's (forRoutes: none): configureApp's hooks log each request and bind its
      // id to Nest's Logger (logger.ts); nestjs-pino provides that Logger over the root.
      useFactory: (root: Logger) => ({
        pinoHttp: { logger: root },
        useExisting: true as const,
        forRoutes: [],
      }),
    }),
  ],
})
export class LoggingModule {}
