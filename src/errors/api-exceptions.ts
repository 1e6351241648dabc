import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorDetailDto } from './error-response.dto';

/**
 * An error the client caused or must know about, carrying the `exception` name Context Services clients read.
 * Anything that is not an ApiException (or a Nest HttpException) is answered as a generic 500.
 */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly exception: string,
    message: string,
    readonly details?: ErrorDetailDto[],
  ) {
    super(message, status);
  }

  /** The same error, its message prefixed with where in the request it arose. */
  within(context: string): ApiException {
    return new ApiException(
      this.getStatus(),
      this.exception,
      `${context}: ${this.message}`,
      this.details,
    );
  }
}

export class ValidationException extends ApiException {
  constructor(details: ErrorDetailDto[]) {
    const [first] = details;
    const more =
      details.length > 1
        ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})`
        : '';
    super(
      HttpStatus.BAD_REQUEST,
      'ValidationException',
      `${first.path} ${first.problem}${more}`,
      details,
    );
  }

  static of(path: string, problem: string): ValidationException {
    return new ValidationException([{ path, problem }]);
  }
}

export class NotFoundApiException extends ApiException {
  constructor(message: string) {
    super(HttpStatus.NOT_FOUND, 'NotFoundException', message);
  }
}

export class ConflictApiException extends ApiException {
  constructor(message: string) {
    super(HttpStatus.CONFLICT, 'ConflictException', message);
  }
}
