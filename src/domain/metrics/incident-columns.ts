import { DEFINITIONS, METRICS, type MetricName } from './definitions.js';
import { distributionInPlace, type Distribution } from './distribution.js';
import { ColumnOrder } from './grouped-distributions.js';
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
 * end: a year is hundreds of thousands of incidents in up to five groupings each. Each duration
 * column is put in order once (grouped-distributions.ts), and every grouping reads its groups'
 * figures off that one order, instead of gathering and selecting per group and metric.
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

  /** Room for `n` incidents in all, made at once (a caller that knows how many are coming). */
  reserve(n: number): void {
    if (n > this.capacity) this.grow(n);
  }

  private grow(capacity = this.capacity * 2): void {
    this.capacity = capacity;
    const f64 = (a: Float64Array) => { const b = new Float64Array(this.capacity); b.set(a); return b; };
    const i32 = (a: Int32Array) => { const b = new Int32Array(this.capacity); b.set(a); return b; };
    const u8 = (a: Uint8Array) => { const b = new Uint8Array(this.capacity); b.set(a); return b; };
    this.ttd = f64(this.ttd); this.tta = f64(this.tta); this.ttm = f64(this.ttm); this.ttr = f64(this.ttr); this.detectedAt = f64(this.detectedAt);
    this.severity = i32(this.severity); this.service = i32(this.service); this.team = i32(this.team); this.bucket = i32(this.bucket);
    this.flags = u8(this.flags); this.ack = u8(this.ack); this.resolve = u8(this.resolve);
  }

  push(e: IncidentEntry): void {
    if (this.length === this.capacity) this.grow();
    this.orders = null;
    const i = this.length++;
    this.ttd[i] = e.ttd; this.tta[i] = e.tta; this.ttm[i] = e.ttm; this.ttr[i] = e.ttr;
    this.detectedAt[i] = e.detectedAt;
    this.severity[i] = e.severity; this.service[i] = e.service; this.team[i] = e.team; this.bucket[i] = e.bucket;
    this.flags[i] = (e.drill ? 1 : 0) | (e.open ? 2 : 0) | (e.unacknowledged ? 4 : 0);
    this.ack[i] = e.ack; this.resolve[i] = e.resolve;
  }

  private scratchNumbers = new Int32Array(0);
  private scratch(n: number): Int32Array {
    if (this.scratchNumbers.length < n) this.scratchNumbers = new Int32Array(n);
    return this.scratchNumbers;
  }

  /** Each metric's column ordered once, for every grouping (built at the first figures: no incident comes after). */
  private orders: Record<MetricName, ColumnOrder> | null = null;

  /** The figures of each group of a grouping, drills left out. Indexed by group id; undefined where a group has none. */
  figuresByGroup(groupOf: Int32Array, groups: number): (Omit<GroupFigures, 'key'> | undefined)[] {
    const group = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) group[i] = this.flags[i]! & 1 ? -1 : groupOf[i]!;
    return this.figuresOf(group, groups);
  }

  /** The figures of all incidents but drills, and of the drills: one grouping of two groups. */
  overallAndDrills(): [Omit<GroupFigures, 'key'> | undefined, Omit<GroupFigures, 'key'> | undefined] {
    const group = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) group[i] = this.flags[i]! & 1;
    const [overall, drills] = this.figuresOf(group, 2);
    return [overall, drills];
  }

  /** `group[i]`: the group of incident i, or -1 to leave it out. */
  private figuresOf(group: Int32Array, groups: number): (Omit<GroupFigures, 'key'> | undefined)[] {
    const n = this.length;
    const count = new Int32Array(groups);
    const open = new Int32Array(groups);
    const unacknowledged = new Int32Array(groups);
    const ack = new Int32Array(groups * OUTCOMES.length);
    const resolve = new Int32Array(groups * OUTCOMES.length);
    for (let i = 0; i < n; i++) {
      const g = group[i]!;
      if (g < 0) continue;
      const f = this.flags[i]!;
      count[g]! += 1;
      if (f & 2) open[g]! += 1;
      if (f & 4) unacknowledged[g]! += 1;
      ack[g * OUTCOMES.length + this.ack[i]!]! += 1;
      resolve[g * OUTCOMES.length + this.resolve[i]!]! += 1;
    }
    this.orders ??= { ttd: new ColumnOrder(this.ttd, n), tta: new ColumnOrder(this.tta, n), ttm: new ColumnOrder(this.ttm, n), ttr: new ColumnOrder(this.ttr, n) };
    const byMetric = METRICS.map((m) => this.orders![m].distributions(group, groups, this.scratch(n)));
    const outcomes = (c: Int32Array, g: number): OutcomeCounts => {
      const at = g * OUTCOMES.length;
      return { met: c[at]!, missed: c[at + 1]!, pending: c[at + 2]!, notApplicable: c[at + 3]! };
    };
    const out: (Omit<GroupFigures, 'key'> | undefined)[] = new Array(groups);
    for (let g = 0; g < groups; g++) {
      if (count[g] === 0) continue;
      const figures = {} as GroupFigures['figures'];
      METRICS.forEach((m, k) => (figures[m] = { ...byMetric[k]![g]!, definition: DEFINITIONS[m] }));
      out[g] = { count: count[g]!, open: open[g]!, unacknowledged: unacknowledged[g]!, figures, targets: { ack: outcomes(ack, g), resolve: outcomes(resolve, g), definition: DEFINITIONS.targets } };
    }
    return out;
  }
}

/** A group with no incidents (a quiet week in the trend, or no drills). */
export function emptyGroup(key: string | null): GroupFigures {
  const figures = {} as GroupFigures['figures'];
  for (const m of METRICS) figures[m] = { ...distributionInPlace(new Float64Array(0)), definition: DEFINITIONS[m] };
  const none = (): OutcomeCounts => ({ met: 0, missed: 0, pending: 0, notApplicable: 0 });
  return { key, count: 0, open: 0, unacknowledged: 0, figures, targets: { ack: none(), resolve: none(), definition: DEFINITIONS.targets } };
}
