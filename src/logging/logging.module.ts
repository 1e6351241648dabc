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
      // useExisting: the request logger is not nestjs-pino's own middleware (which would run after body
      // parsing) but the one configureApp mounts first; nestjs-pino only binds its `req.log` to Nest's Logger.
      useFactory: (root: Logger) => ({ pinoHttp: { logger: root }, useExisting: true as const }),
    }),
  ],
})
export class LoggingModule {}
