import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdOf } from '../logging/request-id';
import { toErrorEnvelope } from './error-envelope';

/** Every error leaving a controller, pipe or guard goes out in the one envelope. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = toErrorEnvelope(error, requestIdOf(request));
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }
}
