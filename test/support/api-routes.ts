import request from 'supertest';
import { App } from 'supertest/types';
import { API_BASE_PATH } from '../../src/http/api-base-path';

export const API = API_BASE_PATH;

/** One operation of the API as the OpenAPI document lists it; `path` is the template below API. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  /** A body built from the request schema's required fields and examples, for operations INPUTS omits. */
  schemaBody?: unknown;
  /** Every field the request schema documents, at every level, as paths (`['services', 0, 'task']`). */
  fields?: FieldPath[];
}

export type FieldPath = (string | number)[];

type Schema = {
  $ref?: string;
  type?: string;
  example?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
};
type Document = {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>
  >;
  components?: { schemas?: Record<string, Schema> };
};

/**
 * The smallest value the schema allows, from its examples and required fields: what a new operation is
 * called with by the suites that sweep every operation, until it gets an entry of its own in INPUTS.
 */
function valueOf(schema: Schema, document: Document, depth = 0): unknown {
  if (depth > 8) return undefined;
  if (schema.$ref) {
    return valueOf(
      document.components?.schemas?.[schema.$ref.split('/').pop()!] ?? {},
      document,
      depth + 1,
    );
  }
  if (schema.allOf?.length) return valueOf(schema.allOf[0], document, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      return 'x';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return schema.items ? [valueOf(schema.items, document, depth + 1)] : [];
    default:
      return Object.fromEntries(
        (schema.required ?? []).map((name) => [
          name,
          valueOf(schema.properties?.[name] ?? {}, document, depth + 1),
        ]),
      );
  }
}

/** Every property the schema documents, nested objects and array items included (the first item). */
function fieldPathsOf(schema: Schema, document: Document, depth = 0): FieldPath[] {
  if (depth > 8) return [];
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return fieldPathsOf(document.components?.schemas?.[name] ?? {}, document, depth + 1);
  }
  if (schema.allOf?.length) return fieldPathsOf(schema.allOf[0], document, depth + 1);
  if (schema.type === 'array' && schema.items) {
    return fieldPathsOf(schema.items, document, depth + 1).map((path) => [0, ...path]);
  }
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [
    [name],
    ...fieldPathsOf(property, document, depth + 1).map((path) => [name, ...path]),
  ]);
}

/** The ids and keys an operation's path parameters and body are filled with. */
export interface RouteIds {
  serviceId: number;
  stateId: number;
  taskId: number;
  noteId: number;
  customerId: string;
  contactKey: string;
}

export const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

/** Every operation under the API base path, from the application's own OpenAPI document. */
export async function apiOperations(server: App): Promise<Operation[]> {
  const response = await request(server).get('/docs-json').expect(200);
  const document = response.body as Document;
  return Object.entries(document.paths)
    .filter(([path]) => path.startsWith(`${API}/`))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        return {
          method: method as Operation['method'],
          path: path.slice(API.length),
          ...(schema
            ? { schemaBody: valueOf(schema, document), fields: fieldPathsOf(schema, document) }
            : {}),
        };
      }),
    );
}

const EPOCH = '2000-01-01T00:00:00.000Z';

/**
 * A minimal valid body (and query) for each kind of operation, so that a call gets past validation and is
 * answered by the operation itself. The types are valid in config/business-attributes.example.json. An
 * operation not listed is called with a body built from its OpenAPI schema (`schemaBody`); list it here when
 * that is not valid (ids of other objects, a query it needs).
 */
const INPUTS: [RegExp, (ids: RouteIds) => { body?: object; query?: object }][] = [
  [
    /^\/services_composite\/start$/,
    (ids) => ({
      body: {
        services: [
          {
            service: { customer_id: ids.customerId, service_type: 'Sales' },
            state: { state_type: 'Identify' },
            task: { task_type: 'Verify' },
          },
        ],
      },
    }),
  ],
  [/^\/services\/start$/, (ids) => ({ body: { customer_id: ids.customerId } })],
  [/^\/services\/\{service_id\}$/, () => ({ body: { ttl: 3600 } })],
  [/\/states\/start$/, () => ({ body: { state_type: 'Queue' } })],
  [
    /\/states\/transition$/,
    (ids) => ({ body: { from: { state_id: ids.stateId }, to: { state_type: 'Queue' } } }),
  ],
  [/\/tasks\/start$/, () => ({ body: { task_type: 'Verify' } })],
  [/\/extensions\/\{name\}(\/merge)?$/, () => ({ body: { note: 'x' } })],
  [/^\/maintenance\/purge$/, () => ({ body: { limit: EPOCH, operation: 'purge.service.all' } })],
  [/^\/maintenance\/services\/(stream|files)$/, () => ({ query: { time_from: EPOCH } })],
];

/** The concrete path of an operation with these ids. */
export function concretePath(op: Operation, ids: RouteIds): string {
  const name = op.path.startsWith('/metadata/') ? 'ServiceType' : 'Note';
  const values: Record<string, string | number> = {
    service_id: ids.serviceId,
    state_id: ids.stateId,
    task_id: ids.taskId,
    note_id: ids.noteId,
    customer_id: ids.customerId,
    contact_key: ids.contactKey,
    name,
  };
  return op.path.replace(/\{(\w+)\}/g, (_, param: string) => {
    if (!(param in values)) {
      throw new Error(
        `${label(op)}: no value for path parameter ${param}: add it to RouteIds and concretePath's ` +
          'values in test/support/api-routes.ts (docs/DEVELOPING.md, "Adding a module")',
      );
    }
    return encodeURIComponent(String(values[param]));
  });
}

/** The minimal valid body (and query) of an operation with these ids. */
export function inputOf(op: Operation, ids: RouteIds): { body?: object; query?: object } {
  return (
    INPUTS.find(([pattern]) => pattern.test(op.path))?.[1](ids) ?? {
      body: op.schemaBody as object | undefined,
    }
  );
}

/** Calls the operation with these ids, headers, and its minimal valid body (or `body` instead). */
export function callOperation(
  server: App,
  op: Operation,
  ids: RouteIds,
  headers: Record<string, string> = {},
  body?: object,
): request.Test {
  const input = body ? { ...inputOf(op, ids), body } : inputOf(op, ids);
  let call = request(server)
    [op.method](`${API}${concretePath(op, ids)}`)
    .set(headers);
  if (input.query) call = call.query(input.query);
  if (input.body) call = call.send(input.body);
  else if (op.method === 'post' || op.method === 'put') call = call.send({});
  return call;
}

/** Creates a service with a state and a task holding that state, through composite start, and a note on it. */
export async function createJourney(
  server: App,
  headers: Record<string, string>,
  customerId: string,
  contactKey: string,
): Promise<RouteIds> {
  const response = await request(server)
    .post(`${API}/services_composite/start`)
    .set(headers)
    .send({
      services: [
        {
          service: { customer_id: customerId, contact_key: contactKey, service_type: 'Sales' },
          state: { state_type: 'Identify' },
          task: { task_type: 'Verify' },
          associate_state_task: true,
        },
      ],
    })
    .expect(200);
  const [r] = response.body.services as {
    service: { service_id: number };
    state: { state_id: number };
    task: { task_id: number };
  }[];
  const note = await request(server)
    .post(`${API}/services/${r.service.service_id}/notes`)
    .set(headers)
    .send({ text: 'Asked to be called back' })
    .expect(201);
  return {
    serviceId: r.service.service_id,
    stateId: r.state.state_id,
    taskId: r.task.task_id,
    noteId: note.body.note_id as number,
    customerId,
    contactKey,
  };
}

/** What an error answer must look like (docs/API.md §7). */
export function expectEnvelope(body: unknown, statusCode: number, exception?: string): void {
  expect(body).toMatchObject({
    statusCode,
    error: expect.any(String),
    exception: exception ?? expect.any(String),
    message: expect.any(String),
    request_id: expect.any(String),
  });
}
