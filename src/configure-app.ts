import { INestApplication, RequestMethod } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, Params, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import { API_BASE_PATH, STREAMED_BODY_ROUTES } from './http/api-base-path';
import { registerJsonBody } from './http/json-body';
import { registerSecurityHeaders } from './http/security-headers';
import { AppConfig, appConfig } from './config/app-config';
import { registerConsole } from './console/console-static';
import { requestLogContext, requestLogHook } from './logging/logger';
import { ROOT_LOGGER } from './logging/logging.module';
import { httpMetricsHook } from './metrics/http-metrics.hook';
import { MetricsRecorder } from './metrics/metrics-recorder';

export function buildOpenApiDocument(app: INestApplication) {
  const config = new DocumentBuilder()
    .setTitle('Context Services API')
    .setDescription(
      'Customer journeys as services, states and tasks (Genesys Context Services 8.5 compatible). ' +
        'Every error answers with the shared error envelope.',
    )
    .setVersion('1')
    // With API_KEYS set, Swagger UI's "Authorize" sends the key either way the service accepts it.
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'An API key (when API_KEYS is set)' },
      'bearer',
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * The HTTP pipeline before routing, shared by `main.ts` and the e2e tests so that tests exercise exactly what
 * runs in production: request ids and logs, metrics, CORS, security headers, timeouts, the body parser, the
 * base path, Swagger. The guards (access, tenancy, rate limit), validation and the error envelope around each
 * route are AppModule's providers. Signals are main.ts's business (graceful shutdown), not the tests'.
 * Fastify sends neither `X-Powered-By` nor an ETag (API answers are never revalidated: each read is fresh).
 */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // A client may not hold a socket by trickling its request (Node would wait 300 s for a body).
  const server = app.getHttpServer();
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS);
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  // Every answer, even a refusal before routing, names its request (the id of chooseRequestId).
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    done();
  });
  fastify.addHook(
    'preHandler',
    requestLogContext(new PinoLogger(app.get<Params>(PARAMS_PROVIDER_TOKEN))),
  );
  fastify.addHook('onResponse', requestLogHook(app.get(ROOT_LOGGER)));
  fastify.addHook('onResponse', httpMetricsHook(app.get(MetricsRecorder)));
  registerSecurityHeaders(fastify);
  // Browser pages of other origins (CORS_ORIGINS): preflights are answered here, before any limit or body
  // check; the headers the API reads may be sent, and those it answers with may be read.
  if (config.corsOrigins) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: [
        'Content-Type',
        'ContactCenterId',
        'GroupId',
        'Authorization',
        'X-API-Key',
        'X-Request-Id',
      ],
      exposedHeaders: ['Location', 'X-Request-Id', 'Retry-After'],
      maxAge: 600,
    });
  }
  registerJsonBody(fastify, config.BODY_LIMIT, config.HTTP_REQUEST_TIMEOUT_MS, {
    routes: STREAMED_BODY_ROUTES,
    maxBytes: config.importMaxBytes,
  });
  // The journey console: static files, answered outside the API's pipeline.
  registerConsole(fastify);
  app.setGlobalPrefix(API_BASE_PATH.slice(1), {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}
