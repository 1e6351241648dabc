import { INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { API_BASE_PATH } from './http/api-base-path';
import { AppConfig, appConfig } from './config/app-config';
import { ApiException } from './errors/api-exceptions';
import { toErrorEnvelope } from './errors/error-envelope';
import { RateLimiter, rateLimitMiddleware } from './limits/rate-limit';
import { httpLogger } from './logging/logger';
import { ROOT_LOGGER } from './logging/logging.module';
import { requestIdOf } from './logging/request-id';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsRecorder } from './metrics/metrics-recorder';

function isJson(request: Request): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/** 415 for a body that is not JSON, before anything tries to read it. */
function requireJsonBody(request: Request, _response: Response, next: NextFunction): void {
  if (hasBody(request) && !isJson(request)) {
    next(new ApiException(415, 'request body must be application/json'));
    return;
  }
  next();
}

/** Errors raised before routing (body parsing, media type) get the same envelope as the rest. */
function preRoutingErrors(
  error: unknown,
  request: Request,
  response: Response,
  _next: NextFunction,
): void {
  const body = toErrorEnvelope(error, requestIdOf(request));
  response.status(body.statusCode).json(body);
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
 * runs in production: request ids and logs, metrics, rate and body limits, the base path, Swagger. The
 * guards, validation and the error envelope around each route are AppModule's providers. Signals are
 * main.ts's business (graceful shutdown), not the tests'.
 */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.useLogger(app.get(Logger));
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable(
    'x-powered-by',
  );
  // First, so that every request, even one refused before routing, has its id, log line and metrics.
  app.use(httpLogger(app.get(ROOT_LOGGER)));
  app.use(httpMetricsMiddleware(app.get(MetricsRecorder)));
  if (config.RATE_LIMIT) app.use(rateLimitMiddleware(RateLimiter.parse(config.RATE_LIMIT)));
  app.use(requireJsonBody);
  // strict: false lets a body of `null` or `42` through to validation, which explains what is expected.
  app.use(json({ limit: config.BODY_LIMIT, strict: false }));
  app.use(preRoutingErrors);
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
