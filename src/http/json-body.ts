import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { text } from 'express';
import { ApiException } from '../errors/api-exceptions';

/**
 * Bodies as Context Services clients send them (docs/API.md §7): JSON labelled `application/json`,
 * `application/*+json` or `text/plain` (RestAssured's label when a Java client sets none), in UTF-8,
 * ISO-8859-1 or US-ASCII as the label's charset says. Anything else is a 415 before the body is read.
 */
const JSON_TYPES = /^(application\/json|application\/[\w.+-]+\+json|text\/plain)$/;
const CHARSETS = new Set(['utf-8', 'utf8', 'iso-8859-1', 'latin1', 'us-ascii', 'ascii']);

function mediaType(request: Request): { type: string; charset?: string } {
  const [type, ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1');
  return { type: type.trim().toLowerCase(), charset };
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

function requireJsonBody(request: Request, _response: Response, next: NextFunction): void {
  if (!hasBody(request)) return next();
  const { type, charset } = mediaType(request);
  if (!JSON_TYPES.test(type)) {
    return next(new ApiException(415, 'request body must be JSON (application/json)'));
  }
  if (charset !== undefined && !CHARSETS.has(charset)) {
    return next(
      new ApiException(415, `request body charset ${charset} is not supported: use utf-8`),
    );
  }
  next();
}

/** The body-parser error shape, so that a malformed body gets the same envelope as Express's own. */
function parseFailed(error: Error): Error {
  return Object.assign(error, { type: 'entity.parse.failed', status: 400 });
}

/** Parses the decoded text as any JSON value (`null` and `42` reach validation, which explains). */
function parseJson(request: Request, _response: Response, next: NextFunction): void {
  const body: unknown = request.body;
  if (typeof body !== 'string') return next();
  try {
    request.body = body === '' ? {} : (JSON.parse(body) as unknown);
    next();
  } catch (error) {
    next(parseFailed(error as Error));
  }
}

/** The body middleware of the API: media type and charset checks, decoding within `limit`, JSON. */
export function jsonBody(limit: string): RequestHandler[] {
  return [
    requireJsonBody,
    text({ limit, type: (request) => JSON_TYPES.test(mediaType(request as Request).type) }),
    parseJson,
  ];
}
