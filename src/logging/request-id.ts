import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * Fastify's `genReqId`, and so the one place a request gets its id: the caller's `X-Request-Id` when it is
 * sane, else a new UUID. It is echoed in the response header, bound to every log line of the request and put
 * in error bodies, so that a client's report can be matched to the server's logs.
 */
export function chooseRequestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
}

/** The id Fastify gave a request. */
export function requestIdOf(request: { id?: unknown }): string {
  return typeof request.id === 'string' ? request.id : 'unknown';
}
