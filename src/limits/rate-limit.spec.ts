import { RateLimiter } from './rate-limit';

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

describe('RateLimiter memory', () => {
  it('follows at most its number of keys, whatever keys clients send', () => {
    const limiter = new RateLimiter(5, 60_000, 100);
    for (let i = 0; i < 10_000; i++) limiter.take(`junk-${i}`, i);
    expect(limiter.size).toBe(100);
  });

  it('forgets the window that started longest ago first', () => {
    const limiter = new RateLimiter(1, 60_000, 2);
    expect(limiter.take('busy', 0)).toBe(0);
    limiter.take('a', 1);
    limiter.take('b', 2);
    expect(limiter.take('b', 3)).toBeGreaterThan(0);
    expect(limiter.size).toBe(2);
  });
});

describe('RateLimiter under a flood of new keys', () => {
  it('never forgets a window that is throttling to make room', () => {
    const limiter = new RateLimiter(1, 60_000, 3);
    expect(limiter.take('throttled', 0)).toBe(0);
    expect(limiter.take('throttled', 1)).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) limiter.take(`junk-${i}`, 2 + i);
    expect(limiter.take('throttled', 200)).toBeGreaterThan(0);
    expect(limiter.size).toBeLessThanOrEqual(3);
  });

  it('makes a new key wait when throttling windows alone fill its headroom, and frees them as they end', () => {
    const limiter = new RateLimiter(1, 60_000, 2);
    // Eight keys over their limit: four times the table.
    for (let i = 0; i < 8; i++) {
      limiter.take(`busy-${i}`, i);
      expect(limiter.take(`busy-${i}`, i)).toBeGreaterThan(0);
    }
    expect(limiter.size).toBe(8);
    expect(limiter.take('newcomer', 10)).toBeGreaterThan(0);
    expect(limiter.size).toBe(8);
    // Once their windows end, the newcomer is counted like anyone.
    expect(limiter.take('newcomer', 60_010)).toBe(0);
  });
});
