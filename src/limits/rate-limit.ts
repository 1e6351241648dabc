import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest as Request } from 'fastify';
import { PUBLIC } from '../access/access.decorators';
import { principalOf } from '../access/api-key.guard';
import { AppConfig, appConfig } from '../config/app-config';
import { RATE_LIMIT_FORMAT } from '../config/environment';
import { ApiException } from '../errors/api-exceptions';
import { tenantOf } from '../tenancy/tenancy.guard';

const WINDOW_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Keys a limiter follows at most; past that, the oldest window that is not throttling is forgotten first. */
export const MAX_TRACKED_KEYS = 10_000;
/** How far throttling windows alone may take it past MAX_TRACKED_KEYS before a new key is refused. */
const THROTTLED_HEADROOM = 4;

interface Window {
  startedAt: number;
  count: number;
}

/**
 * At most `limit` requests per key in a window that starts at the key's first request. Counts live in this
 * process only: with several instances behind a load balancer, each allows `limit` on its own. Memory is
 * bounded whatever clients send: at most `maxKeys` windows, finished ones forgotten first, then the oldest
 * that is not throttling. A throttling window is never forgotten before it ends (flooding the table with new
 * keys must not lift a limit); when throttling windows alone fill it several times over, a new key waits.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private sweptAt = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = MAX_TRACKED_KEYS,
  ) {}

  /** `RATE_LIMIT` (`100/s`, `6000/m`) as a limiter; the format was checked with the rest of the settings. */
  static parse(setting: string): RateLimiter {
    const [, count, unit] = RATE_LIMIT_FORMAT.exec(setting)!;
    return new RateLimiter(Number(count), WINDOW_MS[unit]);
  }

  /** How many keys it follows now. */
  get size(): number {
    return this.windows.size;
  }

  /** Counts one request; answers how many seconds to wait when it is over the limit, else 0. */
  take(key: string, now = Date.now()): number {
    this.sweep(now, false);
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      if (!window && this.windows.size >= this.maxKeys && !this.makeRoom(now)) {
        return this.retryAfter(this.windows.values().next().value!, now);
      }
      window = { startedAt: now, count: 0 };
      this.windows.delete(key);
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count <= this.limit ? 0 : this.retryAfter(window, now);
  }

  private retryAfter(window: Window, now: number): number {
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
  }

  /** Forgets finished windows once per window, so memory follows the keys active lately. */
  private sweep(now: number, force: boolean): void {
    if (!force && now - this.sweptAt < this.windowMs) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
    }
  }

  /**
   * Full: finished windows go first, then the one not throttling that started longest ago (the Map keeps
   * that order). False when there is no room to make: every window is throttling and the headroom is used.
   */
  private makeRoom(now: number): boolean {
    this.sweep(now, true);
    if (this.windows.size < this.maxKeys) return true;
    for (const [key, window] of this.windows) {
      if (window.count <= this.limit) {
        this.windows.delete(key);
        return true;
      }
    }
    return this.windows.size < this.maxKeys * THROTTLED_HEADROOM;
  }
}

/**
 * RATE_LIMIT (docs/API.md §6.2): 429 with `Retry-After` over the limit. It runs after access control and
 * tenancy, and counts against whom they accepted: the API key's name; without access control the client's
 * address (as TRUST_PROXY lets the proxy report it) and, when TENANTS lists the tenants, the tenant. Without
 * TENANTS any name is a tenant, so the address alone: a fresh tenant name is no fresh budget. Nothing a
 * client chooses freely (a junk header, another spelling of `Bearer`) makes a new count. /health and
 * /metrics are never limited.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter | undefined;
  private readonly perTenant: boolean;

  constructor(
    private readonly reflector: Reflector,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.limiter = config.RATE_LIMIT ? RateLimiter.parse(config.RATE_LIMIT) : undefined;
    this.perTenant = config.tenants !== undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (!this.limiter || this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const key = principalOf(request);
    const retryAfter = this.limiter.take(
      key
        ? `key:${key.name}`
        : `address:${request.ip}${this.perTenant ? `\ntenant:${tenantOf(request).tenantId}` : ''}`,
    );
    if (retryAfter === 0) return true;
    context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfter));
    const window = this.limiter.windowMs / 1000;
    throw new ApiException(
      429,
      `more than ${this.limiter.limit} requests in ${window} s for this ${key ? 'API key' : 'client'}; retry after ${retryAfter} s`,
    );
  }
}
