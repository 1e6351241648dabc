import { applyDecorators, HttpCode, HttpStatus, Type } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';

export interface EndpointDoc {
  summary: string;
  description?: string;
  /** The success status (200 unless said). */
  status?: HttpStatus;
  /** The success body; an array for lists, nothing for empty answers. */
  type?: Type<unknown> | [Type<unknown>];
  /**
   * The request body: a type with named examples for Swagger UI to prefill, or a schema (any JSON value);
   * by default the handler's @Body type.
   */
  body?:
    | { type: Type<unknown>; examples: Record<string, unknown> }
    | { schema: SchemaObject; description: string };
  /** Documents the `Location` header: an example path, or a description with one. */
  location?: string | { description: string; example: string };
  /**
   * The error statuses of the operation itself. Added to them: what every API route can answer (400 for a
   * malformed tenant header, 401, 403, 429, 500), and for one that takes a body (it lists 415) 408 and 413.
   */
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
    ...(doc.body ? [bodyDoc(doc.body)] : []),
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
    ApiErrorResponses(...statusesOf(doc.errors)),
  );
}

/** Every route: a bad tenant header, access control (API_KEYS), the rate limit, the unexpected. */
const EVERY_ROUTE = [400, 401, 403, 429, 500];
/** Every route that reads a body: it may arrive too slowly, or be too large. */
const BODY_ROUTE = [408, 413];

function statusesOf(errors: number[]): number[] {
  const all = [...errors, ...EVERY_ROUTE, ...(errors.includes(415) ? BODY_ROUTE : [])];
  return [...new Set(all)].sort((a, b) => a - b);
}

function bodyDoc(body: NonNullable<EndpointDoc['body']>): MethodDecorator {
  if ('schema' in body) return ApiBody({ schema: body.schema, description: body.description });
  return ApiBody({
    type: body.type,
    examples: Object.fromEntries(
      Object.entries(body.examples).map(([name, value]) => [
        name,
        { summary: `The ${name} example`, value },
      ]),
    ),
  });
}

/** The body of an extension replace: any JSON value. */
export const EXTENSION_VALUE_BODY = {
  schema: { example: { rating: 5, comment: 'quick answer' } },
  description: 'The new value of the extension: any JSON value (docs/API.md §5)',
};

/** The body of an extension merge: an object whose keys are added to the extension's. */
export const EXTENSION_MERGE_BODY = {
  schema: { type: 'object', additionalProperties: true, example: { comment: 'called back' } },
  description:
    'Keys to add to the object extension, overwriting those given again (docs/API.md §5)',
};

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
