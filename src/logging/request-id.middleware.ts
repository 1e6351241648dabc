import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const REQUEST_ID = Symbol('requestId');
const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

type WithRequestId = Request & { [REQUEST_ID]?: string };

/**
 * Gives every request an id: the caller's `X-Request-Id` when it is sane, else a new UUID. It is echoed in
 * the response header and in error bodies so that a client's report can be matched to the server's logs.
 */
export function requestIdMiddleware(
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  (request as WithRequestId)[REQUEST_ID] = id;
  response.setHeader('X-Request-Id', id);
  next();
}

export function requestIdOf(request: Request): string {
  return (request as WithRequestId)[REQUEST_ID] ?? 'unknown';
}
