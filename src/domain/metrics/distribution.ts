import { HISTOGRAM_BOUNDS, SMALL_SAMPLE_BELOW } from './definitions.js';
import { selectKth } from './select-kth.js';

export interface HistogramBucket {
  /** Upper bound in seconds, inclusive; null for the open last bucket. */
  le: number | null;
  count: number;
}

export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
  max: number | null;
  mean: number | null;
  histogram: HistogramBucket[];
  smallSample: boolean;
}

/**
 * Count, median, p90 (nearest rank), max, mean and a fixed-bucket histogram of durations in
 * seconds. Exact: the order statistics are selected (expected linear time), not sorted for,
 * because a year-long report asks for them over millions of values in hundreds of groups.
 */
const BOUNDS: readonly number[] = [...HISTOGRAM_BOUNDS];

export function distributionOf(values: ArrayLike<number>): Distribution {
  const a = new Float64Array(values.length);
  for (let i = 0; i < a.length; i++) a[i] = values[i]!;
  return distributionInPlace(a);
}

/** {@link distributionOf} of `a`, reordering `a` as it selects (no copy). */
export function distributionInPlace(a: Float64Array): Distribution {
  const n = a.length;
  const counts = new Array<number>(HISTOGRAM_BOUNDS.length + 1).fill(0);
  let sum = 0;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    sum += v;
    if (v > max) max = v;
    let b = 0;
    while (b < BOUNDS.length && v > BOUNDS[b]!) b += 1;
    counts[b] = counts[b]! + 1;
  }
  const histogram: HistogramBucket[] = counts.map((count, b) => ({ le: HISTOGRAM_BOUNDS[b] ?? null, count }));
  if (n === 0) return { count: 0, median: null, p90: null, max: null, mean: null, histogram, smallSample: true };
  const mid = Math.floor(n / 2);
  selectKth(a, mid, 0, n - 1);
  let median = a[mid]!;
  if (n % 2 === 0) {
    // a[0..mid) now holds the mid smallest values: the largest of them is the other middle one.
    let lower = -Infinity;
    for (let i = 0; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
    median = (lower + median) / 2;
  }
  const k90 = Math.ceil(0.9 * n) - 1;
  if (k90 > mid) selectKth(a, k90, mid + 1, n - 1);
  const p90 = a[k90]!;
  return { count: n, median, p90, max, mean: Math.round(sum / n), histogram, smallSample: n < SMALL_SAMPLE_BELOW };
}
