import { describe, expect, it } from 'vitest';
import { selectKth } from './select-kth.js';

/** A deterministic generator, so a failure reproduces. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('selectKth', () => {
  const shapes: [string, (n: number, r: () => number) => number[]][] = [
    ['random', (n, r) => Array.from({ length: n }, () => Math.floor(r() * 1e6))],
    ['all equal', (n) => Array.from({ length: n }, () => 7)],
    ['few distinct', (n, r) => Array.from({ length: n }, () => Math.floor(r() * 3))],
    ['ascending', (n) => Array.from({ length: n }, (_, i) => i)],
    ['descending', (n) => Array.from({ length: n }, (_, i) => n - i)],
    ['organ pipe', (n) => Array.from({ length: n }, (_, i) => Math.min(i, n - i))],
  ];
  it.each(shapes)('puts the k-th smallest at k and partitions around it: %s', (_name, make) => {
    const r = lcg(42);
    for (const n of [1, 2, 3, 15, 16, 17, 100, 1001, 20_000]) {
      const values = make(n, r);
      const sorted = Float64Array.from(values).sort();
      for (const k of [0, n >> 1, Math.ceil(0.9 * n) - 1, n - 1]) {
        const a = Float64Array.from(values);
        selectKth(a, k, 0, n - 1);
        expect(a[k]).toBe(sorted[k]);
        let misplaced = 0;
        for (let i = 0; i < n; i++) if ((i < k && a[i]! > a[k]!) || (i > k && a[i]! < a[k]!)) misplaced += 1;
        expect(misplaced).toBe(0);
      }
    }
  });
});
