import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { raw } from 'express';
import { ApiException } from '../errors/api-exceptions';

/**
 * Bodies as Context Services clients send them (docs/API.md §7): JSON labelled `application/json`,
 * `application/*+json` or `text/plain` (RestAssured's label when a Java client sets none), in UTF-8,
 * ISO-8859-1 or US-ASCII as the label's charset says. Anything else is a 415 before the body is read.
 */
const JSON_TYPES = /^(application\/json|application\/[\w.+-]+\+json|text\/plain)$/;
const DECODERS: Record<string, 'utf-8' | 'latin1' | 'ascii'> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
  'us-ascii': 'ascii',
  ascii: 'ascii',
};

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
  if (charset !== undefined && !(charset in DECODERS)) {
    return next(
      new ApiException(415, `request body charset ${charset} is not supported: use utf-8`),
    );
  }
  next();
}

/** A body the parser refuses, in the body-parser error shape, so that it gets the same envelope. */
function parseFailed(message: string): Error {
  return Object.assign(new Error(message), { type: 'entity.parse.failed', status: 400 });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body's text in its declared charset. Bytes that are not valid in it are refused, never replaced:
 * a replacement character would turn one customer's key into another's.
 */
function decode(request: Request, bytes: Buffer): string {
  const decoder = DECODERS[mediaType(request).charset ?? 'utf-8'];
  if (decoder === 'latin1') return bytes.toString('latin1');
  if (decoder === 'ascii' && bytes.some((byte) => byte > 0x7f)) {
    throw parseFailed('request body is not valid US-ASCII');
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw parseFailed('request body is not valid UTF-8');
  }
}

/** Decodes and parses any JSON value (`null` and `42` reach validation, which explains what is expected). */
function parseJson(request: Request, _response: Response, next: NextFunction): void {
  const body: unknown = request.body;
  if (!Buffer.isBuffer(body)) return next();
  try {
    const text = decode(request, body);
    try {
      request.body = text === '' ? {} : (JSON.parse(text) as unknown);
    } catch (error) {
      throw parseFailed(`request body is not valid JSON: ${(error as Error).message}`);
    }
    next();
  } catch (error) {
    next(error);
  }
}

/**
 * A request whose body has not arrived whole within `ms` is answered 408 and its connection closed: a
 * client trickling a body may not hold a socket (Node's own requestTimeout is only checked every 30 s).
 */
function bodyDeadline(ms: number, answer: (request: Request, response: Response) => void) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!hasBody(request)) return next();
    const timer = setTimeout(() => {
      if (request.complete || response.headersSent) return;
      answer(request, response);
      response.on('finish', () => request.socket.destroy());
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    request.on('end', clear);
    response.on('close', clear);
    next();
  };
}

/**
 * The body middleware of the API: media type and charset checks, a deadline for the body to arrive,
 * reading (and inflating) within `limit`, strict decoding, JSON.
 */
export function jsonBody(
  limit: string,
  deadlineMs: number,
  answerTimeout: (request: Request, response: Response) => void,
): RequestHandler[] {
  return [
    requireJsonBody,
    bodyDeadline(deadlineMs, answerTimeout),
    raw({ limit, type: (request) => JSON_TYPES.test(mediaType(request as Request).type) }),
    parseJson,
  ];
}
