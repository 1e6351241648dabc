import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import {
  isDatabaseUnavailableError,
  isTooLargeForDatabase,
  RetriesExhaustedError,
} from '../database/database-errors';
import { ApiException, exceptionNameFor } from './api-exceptions';
import { ErrorResponseDto } from './error-response.dto';

const logger = new Logger('Errors');

/** Errors raised by Express's body parser carry a `type` and the status to answer with. */
interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as BodyParserError).type === 'string'
  );
}

/** An error made by http-errors for the client (4xx, `expose`), as raw-body raises for a broken body. */
function isClientHttpError(error: unknown): error is { status: number; message: string } {
  const e = error as { status?: unknown; expose?: unknown };
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500 &&
    e.expose === true
  );
}

function envelope(status: number, message: string, requestId: string): ErrorResponseDto {
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    exception: exceptionNameFor(status),
    message,
    request_id: requestId,
  };
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * Turns anything thrown while serving a request into the docs/API.md §7 envelope. Only errors meant for the
 * client keep their message; everything else is logged in full and answered with a message that reveals
 * nothing internal (no stack, no SQL, no driver text).
 */
export function toErrorEnvelope(error: unknown, requestId: string): ErrorResponseDto {
  if (error instanceof ApiException) {
    const body = envelope(error.getStatus(), error.message, requestId);
    return error.details ? { ...body, details: error.details } : body;
  }
  if (error instanceof HttpException) {
    return envelope(error.getStatus(), messageOf(error), requestId);
  }
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return envelope(400, error.message, requestId);
      case 'entity.too.large':
        return envelope(
          413,
          `request body is larger than the limit of ${error.limit} bytes`,
          requestId,
        );
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return envelope(415, error.message, requestId);
      case 'request.aborted':
      case 'request.size.invalid':
        return envelope(400, error.message, requestId);
    }
  }
  if (isClientHttpError(error)) {
    // http-errors that body reading raises without a type, e.g. a body that does not inflate as its
    // Content-Encoding says.
    return envelope(error.status, `request body could not be read: ${error.message}`, requestId);
  }
  if (error instanceof RetriesExhaustedError) {
    return envelope(
      HttpStatus.SERVICE_UNAVAILABLE,
      'the database is busy with conflicting changes; the request changed nothing and may be retried',
      requestId,
    );
  }
  if (isTooLargeForDatabase(error)) {
    logger.warn(`database refused a write for its size (request ${requestId})`);
    return envelope(
      HttpStatus.PAYLOAD_TOO_LARGE,
      'what the request would store is larger than the database accepts; nothing was stored',
      requestId,
    );
  }
  if (isDatabaseUnavailableError(error)) {
    logger.warn(`database unavailable (request ${requestId}): ${(error as Error).message}`);
    return envelope(
      HttpStatus.SERVICE_UNAVAILABLE,
      'the database is unavailable; the request changed nothing and may be retried',
      requestId,
    );
  }
  logger.error(
    `unexpected error (request ${requestId})`,
    error instanceof Error ? error.stack : String(error),
  );
  return envelope(HttpStatus.INTERNAL_SERVER_ERROR, 'internal server error', requestId);
}
