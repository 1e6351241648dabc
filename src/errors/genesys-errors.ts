import { HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { ErrorResponseDto } from './error-response.dto';

/**
 * What an error is about, when Genesys documents its own answer for it: set where the error is raised, read
 * only by the Genesys style (docs/API.md §8, "Genesys's error answers").
 */
export type ErrorReason =
  | { notFound: 'service' | 'state' | 'task'; id: number }
  | { tenant: 'not-configured'; value: string }
  | { tenant: 'missing' };

/** The package of Genesys's exception classes (Context Services 8.5 API reference, every error example). */
const PACKAGE = 'com.genesyslab.gsg.services.contextservices.exceptions.';

/**
 * The Genesys form of an envelope: `exception` as a full class name of Genesys's package, and for the
 * reasons its reference documents, its message text, class and status. Everything else of the envelope
 * (`request_id`, `details`) stays beside them.
 */
export function inGenesysStyle(body: ErrorResponseDto, reason?: ErrorReason): ErrorResponseDto {
  if (reason && 'notFound' in reason) {
    // "Delete Service By ID": an unknown service answers 400 with this text and class; states and tasks
    // (no example of their own) follow the same class, status and text.
    return {
      ...body,
      statusCode: HttpStatus.BAD_REQUEST,
      error: STATUS_CODES[HttpStatus.BAD_REQUEST] ?? 'Bad Request',
      exception: `${PACKAGE}NotFoundException`,
      message: `There are no ${reason.notFound} found for : ${reason.id}`,
    };
  }
  if (reason && 'tenant' in reason) {
    // The API reference's "ContactCenterId Errors", word for word.
    return {
      ...body,
      exception: `${PACKAGE}ContextServicesExceptionResource`,
      message:
        reason.tenant === 'missing'
          ? "Invalid tenant specified : no tenant specified in multi-tenant environment. Verify configuration and 'ContactCenterId' HTTP header."
          : `Invalid tenant specified : specified tenant in HTTP header 'ContactCenterId'='${reason.value}' not configured. Verify configuration.`,
    };
  }
  return { ...body, exception: `${PACKAGE}${body.exception}` };
}
