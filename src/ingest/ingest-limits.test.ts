import { describe, expect, it } from 'vitest';
import { IngestRateLimiter } from './ingest-limits.js';

describe('IngestRateLimiter', () => {
  it('admits the burst, then one request per refill interval, per integration', () => {
    let now = 0;
    const limiter = new IngestRateLimiter(() => now);
    const limit = { perSecond: 2, burst: 3 };
    expect([1, 2, 3].map(() => limiter.take('a', limit))).toEqual([0, 0, 0]);
    expect(limiter.take('a', limit)).toBeCloseTo(0.5);
    expect(limiter.take('b', limit)).toBe(0);
    now = 499;
    expect(limiter.take('a', limit)).toBeGreaterThan(0);
    now = 1000;
    expect(limiter.take('a', limit)).toBe(0);
    now = 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a', limit) === 0)).toEqual([true, true, true, false]);
  });
});
