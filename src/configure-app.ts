import { INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Server as HttpServer } from 'node:http';
import { API_BASE_PATH } from './http/api-base-path';
import { jsonBody } from './http/json-body';
import { AppConfig, appConfig } from './config/app-config';
import { consoleMiddleware } from './console/console-static';
import { sendEnvelope } from './errors/api-exception.filter';
import { ApiException } from './errors/api-exceptions';
import { toErrorEnvelope } from './errors/error-envelope';
import { httpLogger } from './logging/logger';
import { ROOT_LOGGER } from './logging/logging.module';
import { requestIdOf } from './logging/request-id';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsRecorder } from './metrics/metrics-recorder';

/** Errors raised before routing (body parsing, media type) get the same envelope as the rest. */
function preRoutingErrors(
  error: unknown,
  request: Request,
  response: Response,
  _next: NextFunction,
): void {
  sendEnvelope(response, toErrorEnvelope(error, requestIdOf(request)));
}

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
 * runs in production: request ids and logs, metrics, CORS, security headers, timeouts, the body limit, the base path, Swagger. The
 * guards (access, tenancy, rate limit), validation and the error envelope around each route are AppModule's providers. Signals are
 * main.ts's business (graceful shutdown), not the tests'.
 */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.useLogger(app.get(Logger));
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void };
  express.disable('x-powered-by');
  // No ETag: API answers are never revalidated (each read is fresh), so hashing every body is wasted work.
  express.disable('etag');
  // A client may not hold a socket by trickling its request (Node would wait 300 s for a body).
  const server = app.getHttpServer() as HttpServer;
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS);
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  // First, so that every request, even one refused before routing, has its id, log line and metrics.
  app.use(httpLogger(app.get(ROOT_LOGGER)));
  app.use(httpMetricsMiddleware(app.get(MetricsRecorder)));
  // Security headers on every answer (nosniff, no framing by other origins, a content security policy that
  // Swagger UI's own scripts and styles satisfy).
  app.use(helmet());
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
  app.use(
    jsonBody(config.BODY_LIMIT, config.HTTP_REQUEST_TIMEOUT_MS, (request, response) => {
      const body = toErrorEnvelope(
        new ApiException(408, 'the request body did not arrive in time'),
        requestIdOf(request),
      );
      response.status(408).set('Connection', 'close').json(body);
    }),
  );
  app.use(preRoutingErrors);
  // The journey console: static files, answered before routing (they never reach the API's pipeline).
  const consoleFiles = consoleMiddleware();
  if (consoleFiles) app.use(consoleFiles);
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
