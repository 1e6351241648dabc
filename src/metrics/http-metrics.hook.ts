import type { FastifyReply, FastifyRequest } from 'fastify';
import { MetricsRecorder } from './metrics-recorder';

/** Requests refused before routing (too large, not JSON) and unknown paths: one label, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every request and labels it with its route template (`/services/:id`), never the raw URL. An
 * `onResponse` hook: it runs once the answer is written, with Fastify's own timing of the request.
 */
export function httpMetricsHook(recorder: MetricsRecorder) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const route = request.is404 ? undefined : request.routeOptions.url;
    recorder.httpRequest(
      request.method,
      route ?? UNMATCHED_ROUTE,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  };
}
