import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestIdOf } from '../logging/request-id';
import { AppConfig, appConfig } from '../config/app-config';
import { toErrorEnvelope } from './error-envelope';
import type { ErrorStyle } from '../config/environment';

/**
 * Every error leaving a controller, pipe or guard, and every refusal before routing (the body parser's,
 * which Nest hands to the same filters), goes out in the one envelope. A 503 (nothing changed, try again)
 * always says when: `Retry-After`, unless the code that refused already chose one.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly style: ErrorStyle;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.style = config.ERROR_STYLE;
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorEnvelope(error, requestIdOf(http.getRequest<FastifyRequest>()), this.style);
    if (reply.sent) return;
    if (body.statusCode === 503 && !reply.hasHeader('Retry-After')) {
      reply.header('Retry-After', '1');
    }
    void reply.status(body.statusCode).send(body);
  }
}
