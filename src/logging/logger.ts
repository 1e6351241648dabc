import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream, Level, Logger } from 'pino';
import pretty from 'pino-pretty';
import { Environment, logFormatOf, LogLevel } from '../config/environment';

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
 * One line per request once it is answered, even for requests refused before routing (too large, not JSON):
 * an `onResponse` hook. Nothing is built for it when its level is off (the bench runs at `warn`).
 */
export function requestLogHook(root: Logger) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    if (root.isLevelEnabled(level)) {
      root[level](
        {
          reqId: request.id,
          req: {
            method: request.method,
            url: request.url,
            headers: request.headers,
            remoteAddress: request.ip,
          },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  };
}

/**
 * Binds the request id to every Nest `Logger` call made while serving the request (guards, pipes, the
 * handler, the error filter), through nestjs-pino's context: a `preHandler` hook, the last step before Nest
 * takes over, so that the context is not lost while the body is read.
 */
export function requestLogContext(logger: PinoLogger) {
  return (request: FastifyRequest, _reply: FastifyReply, done: () => void): void =>
    logger.runInContext(done, { bindings: { reqId: request.id } });
}
