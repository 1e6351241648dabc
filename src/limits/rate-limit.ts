import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { API_BASE_PATH } from '../http/api-base-path';
import { RATE_LIMIT_FORMAT } from '../config/environment';
import { ApiException } from '../errors/api-exceptions';

const WINDOW_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

interface Window {
  startedAt: number;
  count: number;
}

/**
 * At most `limit` requests per key in a window that starts at the key's first request. Counts live in this
 * process only: with several instances behind a load balancer, each allows `limit` on its own.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private sweptAt = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** `RATE_LIMIT` (`100/s`, `6000/m`) as a limiter; the format was checked with the rest of the settings. */
  static parse(setting: string): RateLimiter {
    const [, count, unit] = RATE_LIMIT_FORMAT.exec(setting)!;
    return new RateLimiter(Number(count), WINDOW_MS[unit]);
  }

  /** Counts one request; answers how many seconds to wait when it is over the limit, else 0. */
  take(key: string, now = Date.now()): number {
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
  }

  /** Forgets finished windows once per window, so memory follows the keys active lately. */
  private sweep(now: number): void {
    if (now - this.sweptAt < this.windowMs) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
    }
  }
}

/**
 * Who a request counts against: its credentials (`Authorization` or `X-API-Key`, hashed so that no secret
 * is kept in memory) when it has some, else its tenant (`ContactCenterId`, the default tenant without it).
 */
export function rateLimitKey(request: Request): string {
  const credentials = request.headers['x-api-key'] ?? request.headers.authorization;
  if (credentials !== undefined) {
    return `key:${createHash('sha256').update(String(credentials)).digest('base64url')}`;
  }
  const tenant = request.headers.contactcenterid;
  return `tenant:${typeof tenant === 'string' ? tenant : ''}`;
}

/** 429 with `Retry-After` over the limit; only the API is limited, never /health, /metrics or /docs. */
export function rateLimitMiddleware(limiter: RateLimiter) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!request.path.startsWith(`${API_BASE_PATH}/`)) return next();
    const retryAfter = limiter.take(rateLimitKey(request));
    if (retryAfter === 0) return next();
    response.setHeader('Retry-After', String(retryAfter));
    next(
      new ApiException(
        429,
        `more than ${limiter.limit} requests in ${limiter.windowMs / 1000} s for this API key or tenant; retry after ${retryAfter} s`,
      ),
    );
  };
}
