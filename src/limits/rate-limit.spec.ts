import type { Request } from 'express';
import { RateLimiter, rateLimitKey } from './rate-limit';

describe('RateLimiter', () => {
  it.each([
    ['100/s', 100, 1000],
    ['6000/m', 6000, 60_000],
    ['5/h', 5, 3_600_000],
  ])('reads %s', (setting, limit, windowMs) => {
    expect(RateLimiter.parse(setting)).toMatchObject({ limit, windowMs });
  });

  it('allows the limit in a window, then answers how long to wait, per key', () => {
    const limiter = new RateLimiter(2, 60_000);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 1000)).toBe(0);
    expect(limiter.take('a', 1000)).toBe(59);
    expect(limiter.take('a', 59_500)).toBe(1);
    expect(limiter.take('b', 59_500)).toBe(0);
  });

  it("starts a key's next window once its window has passed", () => {
    const limiter = new RateLimiter(1, 1000);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 999)).toBe(1);
    expect(limiter.take('a', 1000)).toBe(0);
  });
});

describe('rateLimitKey', () => {
  const requestWith = (headers: Record<string, string>) => ({ headers }) as unknown as Request;

  it('keys on the credentials when there are some, without keeping them', () => {
    const key = rateLimitKey(requestWith({ 'x-api-key': 'secret', contactcenterid: 't1' }));
    expect(key).toMatch(/^key:/);
    expect(key).not.toContain('secret');
    expect(rateLimitKey(requestWith({ authorization: 'secret' }))).toBe(
      rateLimitKey(requestWith({ authorization: 'secret', contactcenterid: 't2' })),
    );
  });

  it('keys on the tenant otherwise', () => {
    expect(rateLimitKey(requestWith({ contactcenterid: 't1' }))).toBe('tenant:t1');
    expect(rateLimitKey(requestWith({}))).toBe('tenant:');
  });
});
