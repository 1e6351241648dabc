import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import {
  isDatabaseUnavailableError,
  isMissingParentError,
  isStatementTimeoutError,
  isTooLargeForDatabase,
  RetriesExhaustedError,
} from '../database/database-errors';
import { ApiException, exceptionNameFor } from './api-exceptions';
import { ErrorResponseDto } from './error-response.dto';
import type { ErrorStyle } from '../config/environment';
import { inGenesysStyle } from './genesys-errors';

const logger = new Logger('Errors');

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
 * Turns anything thrown while serving a request into the docs/API.md §7 envelope, in the ERROR_STYLE
 * asked for. Only errors meant for the client keep their message; everything else is logged in full and
 * answered with a message that reveals nothing internal (no stack, no SQL, no driver text).
 */
export function toErrorEnvelope(
  error: unknown,
  requestId: string,
  style: ErrorStyle = 'standard',
): ErrorResponseDto {
  const body = envelopeOf(error, requestId);
  if (style === 'standard') return body;
  return inGenesysStyle(body, error instanceof ApiException ? error.reason : undefined);
}

function envelopeOf(error: unknown, requestId: string): ErrorResponseDto {
  if (error instanceof ApiException) {
    const body = envelope(error.getStatus(), error.message, requestId);
    return error.details ? { ...body, details: error.details } : body;
  }
  if (error instanceof HttpException) {
    return envelope(error.getStatus(), messageOf(error), requestId);
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
  if (isStatementTimeoutError(error)) {
    logger.warn(`a read reached DB_READ_TIMEOUT_MS (request ${requestId})`);
    return envelope(
      HttpStatus.SERVICE_UNAVAILABLE,
      'the read took longer than the database may spend on it (DB_READ_TIMEOUT_MS); retry later, or ask for a narrower window',
      requestId,
    );
  }
  if (isMissingParentError(error)) {
    logger.warn(`a write named a parent that is gone (request ${requestId})`);
    return envelope(
      HttpStatus.NOT_FOUND,
      'what the request writes under no longer exists (deleted meanwhile); nothing was stored',
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
