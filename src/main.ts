import { ConsoleLogger, INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server as HttpsServer } from 'node:https';
import { setFlagsFromString } from 'node:v8';
import { AppModule } from './app.module';
import { AppConfig, appConfig } from './config/app-config';
import { ConfigurationError, Environment, validateEnvironment } from './config/environment';
import { configureApp } from './configure-app';
import { CONSOLE_PATH } from './console/console-static';
import { createHttpAdapter } from './http/http-adapter';
import { reloadTlsOnSighup } from './http/tls';

/**
 * V8 lets a busy heap grow to several times what is live before it collects in full (its limit is 4 GB on a
 * 24 GB machine): 350 MB resident at 32 connections for 60 MB of live objects. Growing by half at each full
 * collection keeps it under 200 MB at no cost in throughput measured (docs/PERFORMANCE.md, Memory). It is
 * not a cap: a burst of large bodies still gets what it needs. V8 reads it at every collection, so setting it
 * here takes effect. HEAP_GROWING_PERCENT sets it (Node refuses V8 flags like this one in NODE_OPTIONS); a
 * `node --heap-growing-percent=…` on the command line wins.
 */
function keepHeapNearLiveSize(percent: number): void {
  if (!process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) {
    setFlagsFromString(`--heap-growing-percent=${percent}`);
  }
}

/** After the drain, how long closing the rest (the database pool above all) may take. */
const CLOSE_GRACE_MS = 5000;

/**
 * SIGTERM (an orchestrator stopping the instance) or SIGINT (Ctrl-C): stop accepting, let the requests in
 * flight finish (HttpDrain), close the database pool, and exit 0 so that a planned stop is not reported as
 * a crash. Nest's own enableShutdownHooks would re-raise the signal and end with status 143 instead.
 * A query stuck in the database would keep the pool from closing: past the drain timeout and a grace
 * period the process exits anyway, with status 1.
 */
function exitGracefullyOn(app: INestApplication, signals: NodeJS.Signals[], drainMs: number): void {
  const logger = new Logger('Shutdown');
  const shutDown = (signal: NodeJS.Signals) => {
    logger.log(`${signal} received; shutting down`);
    setTimeout(() => {
      logger.error(`shutdown still not done after ${drainMs + CLOSE_GRACE_MS} ms; exiting`);
      process.exit(1);
    }, drainMs + CLOSE_GRACE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', error instanceof Error ? error.stack : String(error));
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.once(signal, shutDown);
}

/**
 * The HTTP server is built before the application, so its settings (TLS, trusted proxies) are validated
 * here first, by the same rules as every other setting; a bad one stops the boot with the same message.
 */
function serverSettings(): { env: Environment; adapter: ReturnType<typeof createHttpAdapter> } {
  try {
    const env = validateEnvironment(process.env);
    return { env, adapter: createHttpAdapter(env) };
  } catch (error) {
    const message = (error as Error).message;
    const text = message.startsWith('Invalid configuration')
      ? message
      : `Invalid configuration:\n  - ${message}`;
    new Logger('Configuration').error(text);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const { env, adapter } = serverSettings();
  keepHeapNearLiveSize(env.HEAP_GROWING_PERCENT);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    // The API's own parser (configureApp) reads every body.
    bodyParser: false,
    bufferLogs: true,
    // Let boot errors reach the handler below, which exits with a failure status.
    abortOnError: false,
  });
  configureApp(app);
  const config = app.get<AppConfig>(appConfig.KEY);
  exitGracefullyOn(app, ['SIGTERM', 'SIGINT'], config.SHUTDOWN_TIMEOUT_MS);
  const tls = env.TLS_CERT_FILE !== undefined;
  if (tls) reloadTlsOnSighup(app.getHttpServer() as HttpsServer, env);
  const port = config.PORT;
  await app.listen(port, config.HOST);
  const base = `${tls ? 'https' : 'http'}://localhost:${port}`;
  Logger.log(
    `Context Services listening on ${base}: journey console at ${base}${CONSOLE_PATH}/, ` +
      `Swagger UI at ${base}/docs`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  // Errors while building the application (a bad setting, an unreachable database) were already logged by
  // Nest's ExceptionHandler; a setting found unusable while starting is reported as the settings are; only
  // other later ones (such as a port in use) still need reporting.
  if (error instanceof ConfigurationError) {
    // Written at once, as the settings validation's message is: the application's logger is asynchronous
    // and would lose the line to the exit.
    new ConsoleLogger('Configuration').error(`Invalid configuration:\n  - ${error.message}`);
  } else if (!(
    error instanceof Error && /Invalid configuration|Unable to connect/.test(error.message)
  )) {
    console.error(error);
  }
  process.exit(1);
});
