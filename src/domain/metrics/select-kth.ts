/**
 * Rearranges a[lo..hi] so that a[k] holds the value a sorted a would hold there, everything
 * before it is no larger and everything after no smaller (quickselect). The partition is
 * three-way, so runs of equal values (many zero durations, say) cost one pass, not a quadratic
 * walk; the pivot is the median of three; a range that refuses to shrink is sorted instead.
 */
export function selectKth(a: Float64Array, k: number, lo: number, hi: number): void {
  let rounds = 0;
  while (hi > lo) {
    if (hi - lo < 16 || rounds++ > 64) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const pivot = medianOfThree(a[lo]!, a[(lo + hi) >>> 1]!, a[hi]!);
    // Dutch national flag: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = a[i]!;
      if (v < pivot) {
        a[i] = a[lt]!;
        a[lt] = v;
        lt += 1;
        i += 1;
      } else if (v > pivot) {
        a[i] = a[gt]!;
        a[gt] = v;
        gt -= 1;
      } else i += 1;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return;
  }
}

function medianOfThree(x: number, y: number, z: number): number {
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}
