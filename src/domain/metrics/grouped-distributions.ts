import { HISTOGRAM_BOUNDS, SMALL_SAMPLE_BELOW } from './definitions.js';
import type { Distribution, HistogramBucket } from './distribution.js';

const [B0, B1, B2, B3, B4, B5, B6] = HISTOGRAM_BOUNDS;

/**
 * Distributions of one column of durations for every group of a grouping at once. A year's
 * report asks for four durations in five groupings over hundreds of thousands of incidents: the
 * column is put in order once (a radix sort of whole seconds), and each grouping is then two passes
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
    // Whole seconds in [0, 2^32) (what the report's durations are) are put in order by two stable
    // 16-bit counting passes, whose digit counts are taken here; anything else by a comparison sort.
    const lowDigits = new Int32Array(65_537);
    const highDigits = new Int32Array(65_537);
    let size = 0;
    let whole = true;
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      if (v !== v) continue; // NaN: the moment has not come
      present[size++] = i;
      if (v >= 0 && v <= 0xffffffff && Math.floor(v) === v) {
        lowDigits[(v & 0xffff) + 1]! += 1; // in range, so the integer operators are exact
        highDigits[(v >>> 16) + 1]! += 1;
      } else whole = false;
    }
    const ascending = (this.ascending = new Int32Array(size));
    const sorted = (this.sorted = new Float64Array(size));
    const bucket = (this.bucket = new Uint8Array(size));
    if (whole) {
      for (let d = 1; d <= 65_536; d++) {
        lowDigits[d]! += lowDigits[d - 1]!;
        highDigits[d]! += highDigits[d - 1]!;
      }
      const byLow = new Int32Array(size);
      for (let k = 0; k < size; k++) {
        const i = present[k]!;
        byLow[lowDigits[values[i]! & 0xffff]!++] = i;
      }
      for (let k = 0; k < size; k++) {
        const i = byLow[k]!;
        ascending[highDigits[values[i]! >>> 16]!++] = i;
      }
    } else ascending.set(present.subarray(0, size).sort((a, b) => values[a]! - values[b]! || a - b));
    for (let k = 0; k < size; k++) {
      const v = values[ascending[k]!]!;
      sorted[k] = v;
      bucket[k] = +(v > B0) + +(v > B1) + +(v > B2) + +(v > B3) + +(v > B4) + +(v > B5) + +(v > B6);
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
