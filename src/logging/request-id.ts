import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * pino-http's `genReqId`, and so the one place a request gets its id: the caller's `X-Request-Id` when it is
 * sane, else a new UUID. It is echoed in the response header, bound to every log line of the request and
 * put in error bodies, so that a client's report can be matched to the server's logs.
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** The id pino-http assigned to the request (`req.id`). */
export function requestIdOf(request: IncomingMessage & { id?: unknown }): string {
  return typeof request.id === 'string' ? request.id : 'unknown';
}
