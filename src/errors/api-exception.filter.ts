import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdOf } from '../logging/request-id';
import { toErrorEnvelope } from './error-envelope';
import { ErrorResponseDto } from './error-response.dto';

/**
 * Sends an error envelope; a 503 (nothing changed, try again) always says when: `Retry-After`, unless the
 * code that refused already chose one.
 */
export function sendEnvelope(response: Response, body: ErrorResponseDto): void {
  if (body.statusCode === 503 && !response.getHeader('Retry-After')) {
    response.setHeader('Retry-After', '1');
  }
  response.status(body.statusCode).json(body);
}

/** Every error leaving a controller, pipe or guard goes out in the one envelope. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = toErrorEnvelope(error, requestIdOf(request));
    if (response.headersSent) return;
    sendEnvelope(response, body);
  }
}
