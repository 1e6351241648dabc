import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { DestinationStream, Level, Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import pretty from 'pino-pretty';
import { Environment, logFormatOf, LogLevel } from '../config/environment';
import { assignRequestId } from './request-id';

const PINO_LEVELS: Record<LogLevel, Level | 'silent'> = {
  silent: 'silent',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** Credentials never reach the logs, whatever the level. */
export const REDACTED_HEADERS = ['authorization', 'x-api-key', 'cookie'];

type LogSettings = Pick<Environment, 'LOG_LEVEL' | 'LOG_FORMAT' | 'NODE_ENV'>;

/** Standard output: JSON lines written synchronously (nothing lost at exit), or pino-pretty for people. */
export function logDestination(settings: LogSettings): DestinationStream {
  return logFormatOf(settings) === 'pretty'
    ? pretty({
        colorize: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
        sync: true,
      })
    : pino.destination({ dest: 1, sync: true });
}

export function createRootLogger(settings: LogSettings, destination: DestinationStream): Logger {
  return pino(
    {
      level: PINO_LEVELS[settings.LOG_LEVEL],
      redact: {
        paths: REDACTED_HEADERS.map((name) => `req.headers["${name}"]`),
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/**
 * The request logger, mounted first in the pipeline so that even requests refused before routing (too
 * large, not JSON) get an id and a completion line. `req.log` carries only the id (`reqId`), which nestjs-pino
 * binds to every Nest `Logger` call made while serving the request.
 */
export function httpLogger(root: Logger) {
  return pinoHttp<IncomingMessage, ServerResponse>({
    logger: root,
    genReqId: assignRequestId,
    quietReqLogger: true,
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : 'info',
  });
}
