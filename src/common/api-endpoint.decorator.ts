import { applyDecorators, HttpCode, HttpStatus, Type } from '@nestjs/common';
import { ApiHeader, ApiResponse, ApiOperation } from '@nestjs/swagger';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';

export interface EndpointDoc {
  summary: string;
  description?: string;
  /** The success status (200 unless said). */
  status?: HttpStatus;
  /** The success body; an array for lists, nothing for empty answers. */
  type?: Type<unknown> | [Type<unknown>];
  /** Documents the `Location` header of a creation. */
  location?: string;
  errors: number[];
}

/** Status code and OpenAPI documentation of one operation: summary, success body, headers, error bodies. */
export function ApiEndpoint(doc: EndpointDoc): MethodDecorator {
  const status = doc.status ?? HttpStatus.OK;
  return applyDecorators(
    HttpCode(status),
    ApiOperation({ summary: doc.summary, description: doc.description }),
    ApiResponse({
      status,
      type: doc.type,
      description: doc.type ? 'Success' : 'Success (empty body)',
      headers: doc.location
        ? {
            Location: {
              description: 'Path of the new resource',
              schema: { type: 'string', example: doc.location },
            },
          }
        : undefined,
    }),
    // Access control may be on (API_KEYS): every operation can answer 401 and 403.
    ApiErrorResponses(...new Set([...doc.errors, 401, 403].sort((a, b) => a - b))),
  );
}

/** The tenancy headers every Context Services operation takes (API.md §6.2). */
export function ApiTenantHeaders(): ClassDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'ContactCenterId',
      required: false,
      description: 'Tenant (the default tenant when absent)',
    }),
    ApiHeader({
      name: 'GroupId',
      required: false,
      description: 'Business unit stored with created objects',
    }),
  );
}
