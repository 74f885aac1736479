import { HISTOGRAM_BOUNDS, SMALL_SAMPLE_BELOW } from './definitions.js';
import type { Distribution, HistogramBucket } from './distribution.js';

/**
 * Distributions of one column of durations for every group of a grouping at once. A year's
 * report asks for four durations in five groupings over hundreds of thousands of incidents: the
 * column is ordered once (a radix sort of whole seconds), and each grouping is then two passes
 * along that order: one counts each group's values, the next sums them, fills the histograms
 * and picks each group's order statistics as its values go by. Exact, and the same figures as
 * distributionOf (distribution.ts) gives each group's values alone.
 */
export class ColumnOrder {
  /** Indexes of the column's values (NaN left out), in ascending order of value. */
  readonly ascending: Int32Array;
  /** The values in that order, and each one's histogram bucket (an index into HISTOGRAM_BOUNDS; its length for the open last one). */
  private readonly sorted: Float64Array;
  private readonly bucket: Uint8Array;

  constructor(values: Float64Array, length: number) {
    const present = new Int32Array(length);
    let size = 0;
    let whole = true;
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      if (v !== v) continue; // NaN: the moment has not come
      present[size++] = i;
      if (!(v >= 0 && v <= 0xffffffff && Math.floor(v) === v)) whole = false;
    }
    const indexes = present.subarray(0, size);
    this.ascending = whole ? radixSortByValue(indexes, values) : Int32Array.from(indexes).sort((a, b) => values[a]! - values[b]! || a - b);
    this.sorted = new Float64Array(size);
    this.bucket = new Uint8Array(size);
    const [B0, B1, B2, B3, B4, B5, B6] = HISTOGRAM_BOUNDS;
    for (let k = 0; k < size; k++) {
      const v = values[this.ascending[k]!]!;
      this.sorted[k] = v;
      this.bucket[k] = +(v > B0) + +(v > B1) + +(v > B2) + +(v > B3) + +(v > B4) + +(v > B5) + +(v > B6);
    }
  }

  /**
   * The distribution of each group's values: `groupOf[i]` is the group of value i, or -1 to
   * leave it out. Indexed by group. `scratch` holds at least as many numbers as there are values.
   */
  distributions(groupOf: Int32Array, groups: number, scratch: Int32Array): Distribution[] {
    const { sorted, bucket, ascending } = this;
    const size = ascending.length;
    // Each value's group, in ascending order of value: the passes below then read memory in order.
    const group = scratch;
    const count = new Int32Array(groups);
    for (let k = 0; k < size; k++) {
      const g = (group[k] = groupOf[ascending[k]!]!);
      if (g >= 0) count[g]! += 1;
    }
    // The ranks wanted of each group: the two middle ones and the p90's nearest rank.
    const lowRank = new Int32Array(groups);
    const highRank = new Int32Array(groups);
    const p90Rank = new Int32Array(groups);
    for (let g = 0; g < groups; g++) {
      const n = count[g]!;
      highRank[g] = Math.floor(n / 2);
      lowRank[g] = highRank[g]! - 1;
      p90Rank[g] = Math.ceil(0.9 * n) - 1;
    }
    const low = new Float64Array(groups);
    const high = new Float64Array(groups);
    const p90 = new Float64Array(groups);
    const max = new Float64Array(groups);
    const sum = new Float64Array(groups);
    const histogram = new Int32Array(groups * 8);
    const seen = new Int32Array(groups);
    for (let k = 0; k < size; k++) {
      const g = group[k]!;
      if (g < 0) continue;
      const v = sorted[k]!;
      sum[g]! += v;
      max[g] = v; // ascending: the last one seen is the largest
      histogram[g * 8 + bucket[k]!]! += 1;
      const rank = seen[g]!++;
      if (rank === lowRank[g]) low[g] = v;
      if (rank === highRank[g]) high[g] = v;
      if (rank === p90Rank[g]) p90[g] = v;
    }
    const out: Distribution[] = new Array(groups);
    for (let g = 0; g < groups; g++) {
      const n = count[g]!;
      const buckets: HistogramBucket[] = [];
      for (let b = 0; b < 8; b++) buckets.push({ le: HISTOGRAM_BOUNDS[b] ?? null, count: histogram[g * 8 + b]! });
      out[g] =
        n === 0
          ? { count: 0, median: null, p90: null, max: null, mean: null, histogram: buckets, smallSample: true }
          : { count: n, median: n % 2 === 1 ? high[g]! : (low[g]! + high[g]!) / 2, p90: p90[g]!, max: max[g]!, mean: Math.round(sum[g]! / n), histogram: buckets, smallSample: n < SMALL_SAMPLE_BELOW };
    }
    return out;
  }
}

/** `indexes` ordered by their whole-second values in [0, 2^32): two stable 16-bit counting passes. */
function radixSortByValue(indexes: Int32Array, values: Float64Array): Int32Array {
  const n = indexes.length;
  const low = new Int32Array(65_537);
  const high = new Int32Array(65_537);
  for (let k = 0; k < n; k++) {
    const v = values[indexes[k]!]!;
    low[(v % 65_536) + 1]! += 1;
    high[Math.floor(v / 65_536) + 1]! += 1;
  }
  for (let d = 1; d <= 65_536; d++) {
    low[d]! += low[d - 1]!;
    high[d]! += high[d - 1]!;
  }
  const byLow = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = indexes[k]!;
    byLow[low[values[i]! % 65_536]!++] = i;
  }
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = byLow[k]!;
    out[high[Math.floor(values[i]! / 65_536)]!++] = i;
  }
  return out;
}
