import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorDetailDto } from './error-response.dto';
import type { ErrorReason } from './genesys-errors';

/**
 * The `exception` name Context Services clients read, by status (docs/API.md §7): the one table that names
 * every error the service answers, whoever raises it.
 */
const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  400: 'ValidationException',
  401: 'UnauthorizedException',
  403: 'ForbiddenException',
  404: 'NotFoundException',
  405: 'MethodNotAllowedException',
  408: 'RequestTimeoutException',
  409: 'ConflictException',
  413: 'PayloadTooLargeException',
  414: 'UriTooLongException',
  415: 'UnsupportedMediaTypeException',
  429: 'TooManyRequestsException',
  503: 'ServiceUnavailableException',
};

export function exceptionNameFor(status: number): string {
  return (
    EXCEPTION_NAMES[status] ?? (status >= 500 ? 'InternalServerErrorException' : 'HttpException')
  );
}

/**
 * An error the client caused or must know about; its envelope is named from the table above. Anything that is not an
 * ApiException (or a Nest HttpException) is answered as a generic 500.
 */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    message: string,
    readonly details?: ErrorDetailDto[],
    /** What it is about, for `ERROR_STYLE=genesys` (errors/genesys-errors.ts); the message stays ours. */
    readonly reason?: ErrorReason,
  ) {
    super(message, status);
  }

  /** The same error, its message and detail paths prefixed with where in the request it arose. */
  within(context: string): ApiException {
    return new ApiException(
      this.getStatus(),
      `${context}: ${this.message}`,
      this.details?.map((detail) => ({ ...detail, path: `${context}.${detail.path}` })),
      this.reason,
    );
  }
}

export class ValidationException extends ApiException {
  constructor(details: ErrorDetailDto[], reason?: ErrorReason) {
    const [first] = details;
    const more =
      details.length > 1
        ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})`
        : '';
    super(HttpStatus.BAD_REQUEST, `${first.path} ${first.problem}${more}`, details, reason);
  }

  static of(path: string, problem: string, reason?: ErrorReason): ValidationException {
    return new ValidationException([{ path, problem }], reason);
  }
}

export class NotFoundApiException extends ApiException {
  constructor(message: string, reason?: ErrorReason) {
    super(HttpStatus.NOT_FOUND, message, undefined, reason);
  }
}

export class ConflictApiException extends ApiException {
  constructor(message: string) {
    super(HttpStatus.CONFLICT, message);
  }
}
