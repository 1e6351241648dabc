import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: malformed JSON, a wrong type, a missing or out-of-range field, a bad extension, an unknown tenant',
  401: 'Missing or unknown credentials',
  403: 'The credentials may not do this',
  404: 'No such service, state or task in this tenant (or not in that service)',
  409: 'Lifecycle conflict: already completed, or starting inside something completed',
  413: 'Body larger than BODY_LIMIT',
  415: 'Body is not application/json',
  429: 'Over RATE_LIMIT for this API key or tenant; retry after the Retry-After header',
  500: 'Unexpected error; the message reveals nothing internal',
  503: 'The database is unreachable; nothing was changed and the request may be retried',
};

/** Documents the error responses of an operation, all with the shared error envelope (docs/API.md §7). */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto }),
    ),
  );
}
