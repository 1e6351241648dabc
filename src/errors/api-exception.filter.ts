import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestIdOf } from '../logging/request-id';
import { toErrorEnvelope } from './error-envelope';

/**
 * Every error leaving a controller, pipe or guard, and every refusal before routing (the body parser's,
 * which Nest hands to the same filters), goes out in the one envelope. A 503 (nothing changed, try again)
 * always says when: `Retry-After`, unless the code that refused already chose one.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorEnvelope(error, requestIdOf(http.getRequest<FastifyRequest>()));
    if (reply.sent) return;
    if (body.statusCode === 503 && !reply.hasHeader('Retry-After')) {
      reply.header('Retry-After', '1');
    }
    void reply.status(body.statusCode).send(body);
  }
}
