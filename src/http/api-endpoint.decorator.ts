import { applyDecorators, HttpCode, HttpStatus, Type } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';

export interface EndpointDoc {
  summary: string;
  description?: string;
  /** The success status (200 unless said). */
  status?: HttpStatus;
  /** The success body; an array for lists, nothing for empty answers. */
  type?: Type<unknown> | [Type<unknown>];
  /** The request body, with named examples for Swagger UI to prefill; by default the handler's @Body type. */
  body?: { type: Type<unknown>; examples: Record<string, unknown> };
  /** Documents the `Location` header: an example path, or a description with one. */
  location?: string | { description: string; example: string };
  /** The error statuses of this operation; 401, 403 and 429 are added, as every API route can answer them. */
  errors: number[];
}

/** Status code and OpenAPI documentation of one operation: summary, bodies, headers, error bodies. */
export function ApiEndpoint(doc: EndpointDoc): MethodDecorator {
  const status = doc.status ?? HttpStatus.OK;
  const location =
    typeof doc.location === 'string'
      ? { description: 'Path of the new resource', example: doc.location }
      : doc.location;
  return applyDecorators(
    HttpCode(status),
    ApiOperation({ summary: doc.summary, description: doc.description }),
    ...(doc.body
      ? [
          ApiBody({
            type: doc.body.type,
            examples: Object.fromEntries(
              Object.entries(doc.body.examples).map(([name, value]) => [
                name,
                { summary: `The ${name} example`, value },
              ]),
            ),
          }),
        ]
      : []),
    ApiResponse({
      status,
      type: doc.type,
      description: doc.type ? 'Success' : 'Success (empty body)',
      headers: location
        ? {
            Location: {
              description: location.description,
              schema: { type: 'string', example: location.example },
            },
          }
        : undefined,
    }),
    // Access control may be on (API_KEYS) and so may the rate limit (RATE_LIMIT), on every API route.
    ApiErrorResponses(...new Set([...doc.errors, 401, 403, 429].sort((a, b) => a - b))),
  );
}

/** The tenancy headers every Context Services operation takes (docs/API.md §6.2). */
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
