import type { NextFunction, Request, Response } from 'express';
import { MetricsRecorder } from './metrics-recorder';

/** Requests refused before routing (too large, not JSON) and unknown paths: one label, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The template of the route that answered. A wildcard is Nest's catch-all for module middleware, the last
 * route an unknown path went through: API routes have none.
 */
function routeOf(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' && !path.includes('*') ? path : UNMATCHED_ROUTE;
}

/** Times every request and labels it with its route template (`/services/:id`), never the raw URL. */
export function httpMetricsMiddleware(recorder: MetricsRecorder) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      recorder.httpRequest(request.method, routeOf(request), response.statusCode, seconds);
    });
    next();
  };
}
