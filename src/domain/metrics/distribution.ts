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

/** Count, median, p90 (nearest rank), max, mean and a fixed-bucket histogram of durations in seconds. */
export function distributionOf(values: ArrayLike<number>): Distribution {
  const a = new Float64Array(values.length);
  for (let i = 0; i < a.length; i++) a[i] = values[i]!;
  return distributionInPlace(a);
}

const [B0, B1, B2, B3, B4, B5, B6] = HISTOGRAM_BOUNDS;
/** Below this many values, selection in place; from it, by radix (whole seconds only). */
const RADIX_FROM = 4096;
const RADIX_BITS = 16;

/**
 * {@link distributionOf} of `a`, which it may reorder (no copy). Exact. A year-long report asks
 * for these over millions of values in hundreds of groups, so nothing is sorted: the order
 * statistics of many whole-second durations come from one counting pass over their high bits
 * and a selection among the few values of the bucket that holds each rank; other values are
 * selected in place (quickselect). The histogram's bucket is a sum of comparisons, not a search.
 */
export function distributionInPlace(a: Float64Array): Distribution {
  const n = a.length;
  const counts = [0, 0, 0, 0, 0, 0, 0, 0];
  let sum = 0;
  let max = -Infinity;
  let wholeSeconds = true;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    sum += v;
    if (v > max) max = v;
    if (!(v >= 0 && v <= 0xffffffff && Math.floor(v) === v)) wholeSeconds = false;
    const b = +(v > B0!) + +(v > B1!) + +(v > B2!) + +(v > B3!) + +(v > B4!) + +(v > B5!) + +(v > B6!);
    counts[b] = counts[b]! + 1;
  }
  const histogram: HistogramBucket[] = counts.map((count, b) => ({ le: HISTOGRAM_BOUNDS[b] ?? null, count }));
  if (n === 0) return { count: 0, median: null, p90: null, max: null, mean: null, histogram, smallSample: true };
  const mid = Math.floor(n / 2);
  const k90 = Math.ceil(0.9 * n) - 1;
  const [lowMid, highMid, p90] = n >= RADIX_FROM && wholeSeconds ? radixRanks(a, max, [mid - 1, mid, k90]) : selectRanks(a, mid, k90);
  const median = n % 2 === 1 ? highMid! : (lowMid! + highMid!) / 2;
  return { count: n, median, p90: p90!, max, mean: Math.round(sum / n), histogram, smallSample: n < SMALL_SAMPLE_BELOW };
}

/** The values of ranks mid - 1, mid and k90 by quickselect. */
function selectRanks(a: Float64Array, mid: number, k90: number): number[] {
  const n = a.length;
  selectKth(a, mid, 0, n - 1);
  // a[0..mid) now holds the mid smallest values: the largest of them is rank mid - 1.
  let lower = a[mid]!;
  if (mid > 0) {
    lower = -Infinity;
    for (let i = 0; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
  }
  if (k90 > mid) selectKth(a, k90, mid + 1, n - 1);
  return [lower, a[mid]!, a[k90]!];
}

/**
 * The values at the given ranks of whole numbers in [0, 2^32): count them by their top
 * RADIX_BITS bits, find the bucket and offset each rank falls in, then select among that
 * bucket's values alone.
 */
function radixRanks(a: Float64Array, max: number, ranks: number[]): number[] {
  const n = a.length;
  const bits = max < 1 ? 1 : Math.floor(Math.log2(max)) + 1;
  const div = 2 ** Math.max(0, bits - RADIX_BITS);
  const buckets = new Int32Array(2 ** RADIX_BITS);
  for (let i = 0; i < n; i++) buckets[(a[i]! / div) >>> 0]! += 1;
  // The bucket each rank falls in, and the rank within it.
  const where = ranks.map((rank) => {
    let below = 0;
    let bucket = 0;
    while (below + buckets[bucket]! <= rank) below += buckets[bucket++]!;
    return { bucket, offset: rank - below };
  });
  // The members of those buckets (mostly one or two), gathered in one pass.
  const members = new Map<number, { values: Float64Array; size: number }>();
  for (const w of where) if (!members.has(w.bucket)) members.set(w.bucket, { values: new Float64Array(buckets[w.bucket]!), size: 0 });
  const [first, second] = [...members.keys()];
  for (let i = 0; i < n; i++) {
    const b = (a[i]! / div) >>> 0;
    if (b === first || b === second || (members.size > 2 && members.has(b))) {
      const m = members.get(b)!;
      m.values[m.size++] = a[i]!;
    }
  }
  return where.map(({ bucket, offset }) => {
    const m = members.get(bucket)!.values;
    selectKth(m, offset, 0, m.length - 1);
    return m[offset]!;
  });
}
