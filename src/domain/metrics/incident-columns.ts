import { DEFINITIONS, METRICS } from './definitions.js';
import { distributionInPlace, type Distribution } from './distribution.js';
import type { TargetOutcome } from './incident-targets.js';

export const OUTCOMES: readonly TargetOutcome[] = ['met', 'missed', 'pending', 'notApplicable'];
type OutcomeCounts = Record<TargetOutcome, number>;

/** The figures of one group of incidents (a severity, a service, a week…). */
export interface GroupFigures {
  key: string | null;
  count: number;
  open: number;
  unacknowledged: number;
  figures: Record<(typeof METRICS)[number], Distribution & { definition: string }>;
  targets: { ack: OutcomeCounts; resolve: OutcomeCounts; definition: string };
}

/** What one incident contributes, as the columns keep it (durations in seconds, NaN: not yet). */
export interface IncidentEntry {
  ttd: number;
  tta: number;
  ttm: number;
  ttr: number;
  detectedAt: number;
  severity: number;
  service: number;
  team: number;
  bucket: number;
  drill: boolean;
  open: boolean;
  unacknowledged: boolean;
  ack: number;
  resolve: number;
}

/**
 * The report's incidents as columns of numbers, grown as they are added, grouped only at the
 * end: a year is hundreds of thousands of incidents in up to five groupings each, and typed
 * columns sorted once per grouping (counting sort on the group id) cost a fraction of an array
 * per group and metric filled one push at a time.
 */
export class IncidentColumns {
  length = 0;
  private capacity = 1024;
  ttd = new Float64Array(this.capacity);
  tta = new Float64Array(this.capacity);
  ttm = new Float64Array(this.capacity);
  ttr = new Float64Array(this.capacity);
  detectedAt = new Float64Array(this.capacity);
  severity = new Int32Array(this.capacity);
  service = new Int32Array(this.capacity);
  team = new Int32Array(this.capacity);
  bucket = new Int32Array(this.capacity);
  /** Bits: 1 drill, 2 open, 4 unacknowledged; outcomes as their index in OUTCOMES. */
  flags = new Uint8Array(this.capacity);
  ack = new Uint8Array(this.capacity);
  resolve = new Uint8Array(this.capacity);

  private grow(): void {
    this.capacity *= 2;
    const f64 = (a: Float64Array) => { const b = new Float64Array(this.capacity); b.set(a); return b; };
    const i32 = (a: Int32Array) => { const b = new Int32Array(this.capacity); b.set(a); return b; };
    const u8 = (a: Uint8Array) => { const b = new Uint8Array(this.capacity); b.set(a); return b; };
    this.ttd = f64(this.ttd); this.tta = f64(this.tta); this.ttm = f64(this.ttm); this.ttr = f64(this.ttr); this.detectedAt = f64(this.detectedAt);
    this.severity = i32(this.severity); this.service = i32(this.service); this.team = i32(this.team); this.bucket = i32(this.bucket);
    this.flags = u8(this.flags); this.ack = u8(this.ack); this.resolve = u8(this.resolve);
  }

  push(e: IncidentEntry): void {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.ttd[i] = e.ttd; this.tta[i] = e.tta; this.ttm[i] = e.ttm; this.ttr[i] = e.ttr;
    this.detectedAt[i] = e.detectedAt;
    this.severity[i] = e.severity; this.service[i] = e.service; this.team[i] = e.team; this.bucket[i] = e.bucket;
    this.flags[i] = (e.drill ? 1 : 0) | (e.open ? 2 : 0) | (e.unacknowledged ? 4 : 0);
    this.ack[i] = e.ack; this.resolve[i] = e.resolve;
  }

  /**
   * The figures of each group of a grouping (`groupOf` null: one group of all), counting drills
   * only (`drills`) or only the rest. Indexed by group id; undefined where a group has none.
   */
  figuresByGroup(groupOf: Int32Array | null, groups: number, drills: boolean): (Omit<GroupFigures, 'key'> | undefined)[] {
    const n = this.length;
    const want = drills ? 1 : 0;
    const counts = new Int32Array(groups + 1);
    for (let i = 0; i < n; i++) if ((this.flags[i]! & 1) === want) counts[(groupOf ? groupOf[i]! : 0) + 1]! += 1;
    const starts = Int32Array.from(counts);
    for (let g = 1; g <= groups; g++) starts[g]! += starts[g - 1]!;
    const order = new Int32Array(starts[groups]!);
    const next = starts.slice(0, groups);
    for (let i = 0; i < n; i++) if ((this.flags[i]! & 1) === want) order[next[groupOf ? groupOf[i]! : 0]!++] = i;
    const scratch = new Float64Array(order.length);
    const out: (Omit<GroupFigures, 'key'> | undefined)[] = new Array(groups);
    for (let g = 0; g < groups; g++) {
      const from = starts[g]!;
      const to = starts[g + 1]!;
      if (to === from) continue;
      out[g] = this.figuresOf(order, from, to, scratch);
    }
    return out;
  }

  private figuresOf(order: Int32Array, from: number, to: number, scratch: Float64Array): Omit<GroupFigures, 'key'> {
    let open = 0;
    let unacknowledged = 0;
    const ack = new Int32Array(OUTCOMES.length);
    const resolve = new Int32Array(OUTCOMES.length);
    for (let k = from; k < to; k++) {
      const i = order[k]!;
      const f = this.flags[i]!;
      if (f & 2) open += 1;
      if (f & 4) unacknowledged += 1;
      ack[this.ack[i]!]! += 1;
      resolve[this.resolve[i]!]! += 1;
    }
    const figures = {} as GroupFigures['figures'];
    for (const m of METRICS) {
      const column = this[m];
      let size = 0;
      for (let k = from; k < to; k++) {
        const v = column[order[k]!]!;
        if (v === v) scratch[size++] = v; // NaN: the moment has not come
      }
      figures[m] = { ...distributionInPlace(scratch.subarray(0, size)), definition: DEFINITIONS[m] };
    }
    const counts = (c: Int32Array): OutcomeCounts => ({ met: c[0]!, missed: c[1]!, pending: c[2]!, notApplicable: c[3]! });
    return { count: to - from, open, unacknowledged, figures, targets: { ack: counts(ack), resolve: counts(resolve), definition: DEFINITIONS.targets } };
  }
}

/** A group with no incidents (a quiet week in the trend, or no drills). */
export function emptyGroup(key: string | null): GroupFigures {
  const figures = {} as GroupFigures['figures'];
  for (const m of METRICS) figures[m] = { ...distributionInPlace(new Float64Array(0)), definition: DEFINITIONS[m] };
  const none = (): OutcomeCounts => ({ met: 0, missed: 0, pending: 0, notApplicable: 0 });
  return { key, count: 0, open: 0, unacknowledged: 0, figures, targets: { ack: none(), resolve: none(), definition: DEFINITIONS.targets } };
}
