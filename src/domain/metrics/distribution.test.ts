import { describe, expect, it } from 'vitest';
import { distributionOf } from './distribution.js';

describe('distributionOf', () => {
  it.each([
    ['empty', [], { count: 0, median: null, p90: null, max: null, mean: null, smallSample: true }],
    ['one value', [120], { count: 1, median: 120, p90: 120, max: 120, mean: 120, smallSample: true }],
    ['even count: median is the mean of the middle two', [10, 40, 20, 30], { count: 4, median: 25, p90: 40, max: 40, mean: 25 }],
    ['p90 by nearest rank over 10 values is the 9th', [1, 2, 3, 4, 5, 6, 7, 8, 9, 100], { count: 10, median: 5.5, p90: 9, max: 100, mean: 15 }],
    ['20 values is no longer a small sample', Array.from({ length: 20 }, (_, i) => (i + 1) * 60), { count: 20, median: 630, p90: 1080, max: 1200, mean: 630, smallSample: false }],
  ])('%s', (_name, values, expected) => {
    expect(distributionOf(values)).toMatchObject(expected);
  });

  it('puts each value in the first bucket whose bound holds it; the last bucket is open', () => {
    const h = distributionOf([0, 60, 61, 300, 3601, 90_000]).histogram;
    expect(h).toEqual([
      { le: 60, count: 2 }, { le: 300, count: 2 }, { le: 900, count: 0 }, { le: 1800, count: 0 },
      { le: 3600, count: 0 }, { le: 14400, count: 1 }, { le: 86400, count: 0 }, { le: null, count: 1 },
    ]);
  });
});

describe('distributionOf at the sizes a year-long report has', () => {
  // Past the radix threshold: whole seconds (radix), fractions and negatives (quickselect)
  // must both agree with sorting.
  function lcg(seed: number): () => number {
    let s = seed >>> 0;
    return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  }
  const sorted = (values: number[]) => Float64Array.from(values).sort();
  it.each([
    ['heavy-tailed whole seconds', (r: () => number) => Math.round(Math.exp(r() * 14))],
    ['few distinct values', (r: () => number) => Math.floor(r() * 4) * 60],
    ['all zero', () => 0],
    ['up to 2^32 - 1', (r: () => number) => Math.floor(r() * 0xffffffff)],
    ['fractions', (r: () => number) => r() * 1000],
    ['some negative', (r: () => number) => Math.round(r() * 1000) - 10],
  ])('%s', (_name, draw) => {
    const r = lcg(7);
    for (const n of [4095, 4096, 4097, 50_001, 50_002]) {
      const values = Array.from({ length: n }, () => draw(r));
      const s = sorted(values);
      const mid = Math.floor(n / 2);
      const d = distributionOf(values);
      expect(d.median).toBe(n % 2 === 1 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2);
      expect(d.p90).toBe(s[Math.ceil(0.9 * n) - 1]);
      expect(d.max).toBe(s[n - 1]);
      expect(d.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(n);
    }
  });
});
