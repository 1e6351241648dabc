import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';
import { ApiException } from '../errors/api-exceptions';
import { parseJson, stringifyJson } from '../json/exact-json';

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

function mediaType(request: IncomingMessage): { type: string; charset?: string } {
  const [type, ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1');
  return { type: type.trim().toLowerCase(), charset };
}

/** The charset's decoder; a 415 for a media type or charset the API does not read. */
function decoderOf(request: IncomingMessage): 'utf-8' | 'latin1' | 'ascii' {
  const { type, charset } = mediaType(request);
  if (!JSON_TYPES.test(type)) {
    throw new ApiException(415, 'request body must be JSON (application/json)');
  }
  if (charset !== undefined && !(charset in DECODERS)) {
    throw new ApiException(415, `request body charset ${charset} is not supported: use utf-8`);
  }
  return DECODERS[charset ?? 'utf-8'];
}

/** The body's bytes as sent, inflated as its Content-Encoding says. */
function contentOf(request: IncomingMessage, payload: Readable): Readable {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  switch (encoding) {
    case 'identity':
      return payload;
    case 'gzip':
    case 'x-gzip':
      return payload.pipe(createGunzip());
    case 'deflate':
      return payload.pipe(createInflate());
    case 'br':
      return payload.pipe(createBrotliDecompress());
    default:
      throw new ApiException(415, `unsupported content encoding "${encoding}"`);
  }
}

/** raw-body's refusals (too large, cut short, wrong length) and broken compression, as envelopes. */
function readFailed(error: unknown, limit: string): ApiException {
  const e = error as { type?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (e.type === 'entity.too.large') {
    const bytes = (error as { limit?: number }).limit ?? limit;
    return new ApiException(413, `request body is larger than the limit of ${bytes} bytes`);
  }
  if (e.type === 'request.aborted' || e.type === 'request.size.invalid') {
    return new ApiException(400, message);
  }
  return new ApiException(400, `request body could not be read: ${message}`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body's text in its declared charset. Bytes that are not valid in it are refused, never replaced:
 * a replacement character would turn one customer's key into another's.
 */
function decode(bytes: Buffer, decoder: 'utf-8' | 'latin1' | 'ascii'): string {
  if (decoder === 'latin1') return bytes.toString('latin1');
  if (decoder === 'ascii' && bytes.some((byte) => byte > 0x7f)) {
    throw new ApiException(400, 'request body is not valid US-ASCII');
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ApiException(400, 'request body is not valid UTF-8');
  }
}

/** Any JSON value (`null` and `42` reach validation, which explains what is expected); nothing is `{}`. */
function parse(text: string): unknown {
  if (text === '') return {};
  try {
    return parseJson(text);
  } catch (error) {
    throw new ApiException(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads one body within `limit` (raw-body, the reader Express's body parser uses) and `deadlineMs`: a
 * client trickling a body may not hold a socket (Node's own requestTimeout is only checked every 30 s).
 * Fastify answers any refusal with `Connection: close`, since the rest of the body may still be coming.
 */
async function readJson(
  request: FastifyRequest,
  payload: Readable,
  limit: string,
  deadlineMs: number,
): Promise<unknown> {
  const raw = request.raw;
  const decoder = decoderOf(raw);
  const content = contentOf(raw, payload);
  const identity = content === payload;
  const length = raw.headers['content-length'];
  let timer: NodeJS.Timeout | undefined;
  try {
    const bytes = await Promise.race([
      getRawBody(content, { limit, length: identity ? length : undefined }).catch(
        (error: unknown) => {
          throw readFailed(error, limit);
        },
      ),
      // A plain timer: an aborted timers/promises sleep would build a DOMException per request.
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ApiException(408, 'the request body did not arrive in time')),
          deadlineMs,
        );
      }),
    ]);
    return parse(decode(bytes, decoder));
  } finally {
    clearTimeout(timer);
  }
}

/** Media types of JSON Lines (one JSON value a line). */
const JSON_LINES_TYPES = /^application\/(x-ndjson|jsonl|x-jsonlines|x-jsonl)$/;

/**
 * A body handed to its route unread, as its bytes arrive (inflated): the import's, a whole history that
 * may be far past BODY_LIMIT, read as it is stored so that memory stays flat.
 */
export interface StreamedBody {
  bytes: Readable;
  /** JSON Lines, else one JSON array. */
  lines: boolean;
}

/** What a streamed route's body may be: JSON (an array) or JSON Lines, in UTF-8, within `maxBytes`. */
function streamedBody(request: FastifyRequest, payload: Readable, maxBytes: number): StreamedBody {
  const { type, charset } = mediaType(request.raw);
  const lines = JSON_LINES_TYPES.test(type);
  if (!lines && !JSON_TYPES.test(type)) {
    throw new ApiException(
      415,
      'the body must be JSON (application/json) or JSON Lines (application/x-ndjson)',
    );
  }
  if (charset !== undefined && DECODERS[charset] !== 'utf-8') {
    throw new ApiException(415, `request body charset ${charset} is not supported here: use utf-8`);
  }
  const length = Number(request.raw.headers['content-length']);
  if (length > maxBytes) {
    throw new ApiException(413, `request body is larger than IMPORT_MAX_BYTES (${maxBytes} bytes)`);
  }
  return { bytes: contentOf(request.raw, payload), lines };
}

/**
 * The API's one body parser, for every media type (Fastify's own JSON and text parsers are removed): media
 * type and charset checks, a deadline for the body to arrive, reading (and inflating) within `limit`, strict
 * decoding, JSON; the `streamed` routes get their body unread (`StreamedBody`). What it refuses reaches the
 * error envelope through Nest's exception filter. Answers are
 * written by the same JSON (`stringifyJson`), so that numbers read with their digits are written with them.
 */
export function registerJsonBody(
  fastify: FastifyInstance,
  limit: string,
  deadlineMs: number,
  streamed: { routes: ReadonlySet<string>; maxBytes: number },
): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request: FastifyRequest, payload: IncomingMessage) =>
    streamed.routes.has(request.routeOptions.url ?? '')
      ? Promise.resolve(streamedBody(request, payload, streamed.maxBytes))
      : readJson(request, payload, limit, deadlineMs),
  );
  fastify.setReplySerializer((payload) => stringifyJson(payload));
}
