import type { Bucket, Figures, GroupFigures, IncidentReport, IncidentRow, ReportExtras, ReportOptions } from '../../src/domain/metrics/build-report.js';
import { cadenceAdherence } from '../../src/domain/metrics/cadence-adherence.js';
import { DEFINITIONS, HISTOGRAM_BOUNDS, METRICS, SMALL_SAMPLE_BELOW, type MetricName } from '../../src/domain/metrics/definitions.js';
import type { Distribution, HistogramBucket } from '../../src/domain/metrics/distribution.js';
import { followUpCompletion } from '../../src/domain/metrics/follow-up-completion.js';
import { evaluateIncidentTargets, type TargetOutcome } from '../../src/domain/metrics/incident-targets.js';
import { onCallLoad, withTimeAcknowledged, type PageRow } from '../../src/domain/metrics/on-call-load.js';

/*
 * The report's accumulator as it was before it was made columnar (issue 13, commit 7b00125):
 * an array per group and metric, each sorted for its order statistics. Kept only as the
 * reference the columnar one must equal (reference-report.ts, report-at-scale.test.ts). Its
 * types are the report's own: what is frozen here is how the figures are computed.
 */
/** Count, median, p90 (nearest rank), max, mean and a fixed-bucket histogram of durations in seconds. */
export function distributionOf(values: ArrayLike<number>): Distribution {
  // A typed array sorts numerically without a comparator call per pair: several times faster
  // than Array#sort on the hundreds of thousands of values a year-long report holds.
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const histogram: HistogramBucket[] = [...HISTOGRAM_BOUNDS.map((le) => ({ le, count: 0 })), { le: null, count: 0 }];
  let b = 0;
  for (const v of sorted) {
    // Ascending values only ever move to the same or a later bucket.
    while (histogram[b]!.le !== null && v > histogram[b]!.le!) b += 1;
    histogram[b]!.count += 1;
  }
  if (n === 0) return { count: 0, median: null, p90: null, max: null, mean: null, histogram, smallSample: true };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p90 = sorted[Math.ceil(0.9 * n) - 1]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = Math.round(sum / n);
  return { count: n, median, p90, max: sorted[n - 1]!, mean, histogram, smallSample: n < SMALL_SAMPLE_BELOW };
}

type OutcomeCounts = Record<TargetOutcome, number>;

const secondsBetween = (from: number, to: number | null): number | null => (to === null ? null : Math.max(0, Math.round((to - from) / 1000)));

function durations(row: IncidentRow): Record<MetricName, number | null> {
  return {
    ttd: secondsBetween(row.detectedAt, Math.max(row.detectedAt, row.declaredAt)),
    tta: secondsBetween(row.detectedAt, row.acknowledgedAt),
    ttm: secondsBetween(row.detectedAt, row.mitigatedAt),
    ttr: secondsBetween(row.detectedAt, row.resolvedAt),
  };
}

const noOutcomes = (): OutcomeCounts => ({ met: 0, missed: 0, pending: 0, notApplicable: 0 });

/**
 * One group's running totals. Only the four durations of each incident are kept (numbers, not
 * rows), so a report over a year of incidents holds a few arrays of numbers, not the rows.
 */
class GroupAccumulator {
  private readonly values: Record<MetricName, number[]> = { ttd: [], tta: [], ttm: [], ttr: [] };
  private readonly targets = { ack: noOutcomes(), resolve: noOutcomes(), definition: DEFINITIONS.targets };
  private count = 0;
  private open = 0;
  private unacknowledged = 0;

  add(row: IncidentRow, d: Record<MetricName, number | null>, t: ReturnType<typeof evaluateIncidentTargets>): void {
    this.count += 1;
    for (const m of METRICS) if (d[m] !== null) this.values[m].push(d[m]!);
    if (row.resolvedAt === null) this.open += 1;
    if (row.acknowledgedAt === null && row.resolvedAt !== null) this.unacknowledged += 1;
    this.targets.ack[t.ack.outcome] += 1;
    this.targets.resolve[t.resolve.outcome] += 1;
  }

  finish(key: string | null): GroupFigures {
    const figures = Object.fromEntries(METRICS.map((m) => [m, { ...distributionOf(this.values[m]), definition: DEFINITIONS[m] }])) as Figures;
    return { key, count: this.count, open: this.open, unacknowledged: this.unacknowledged, figures, targets: this.targets };
  }
}

class GroupsAccumulator {
  readonly groups = new Map<string | null, GroupAccumulator>();
  get(key: string | null): GroupAccumulator {
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = new GroupAccumulator()));
    return g;
  }
  finish(): GroupFigures[] {
    return [...this.groups.entries()]
      .map(([k, g]) => g.finish(k))
      .sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
  }
}

/** Start of the UTC week (Monday) or month holding `at`. */
export function bucketStart(at: number, bucket: Bucket): number {
  const d = new Date(at);
  if (bucket === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
}

function nextBucket(start: number, bucket: Bucket): number {
  if (bucket === 'week') return start + 7 * 86_400_000;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function mtbf(byService: Map<string, number[]>): IncidentReport['mtbf'] {
  return [...byService.entries()]
    .map(([service, starts]) => {
      const sorted = Float64Array.from(starts).sort();
      const gaps: number[] = [];
      for (let i = 1; i < sorted.length; i++) gaps.push(Math.round((sorted[i]! - sorted[i - 1]!) / 1000));
      return { service, incidents: sorted.length, figures: { ...distributionOf(gaps), definition: DEFINITIONS.mtbf } };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
}

/**
 * The report built one incident at a time: `add` each incident row of the range (in any order),
 * then `finish` with the page rows. Pure: `now` decides which open incidents have missed their
 * targets. Every trend bucket in the range appears, empty or not, so a chart shows quiet weeks
 * as quiet.
 */
export class IncidentReportAccumulator {
  private readonly overall = new GroupAccumulator();
  private readonly drills = new GroupAccumulator();
  private readonly bySeverity = new GroupsAccumulator();
  private readonly byService = new GroupsAccumulator();
  private readonly byTeam = new GroupsAccumulator();
  private readonly byBucket = new Map<number, GroupAccumulator>();
  private readonly severityByBucket = new Map<number, Record<string, number>>();
  private readonly starts = new Map<string, number[]>();

  private readonly options: ReportOptions;

  constructor(options: ReportOptions) {
    this.options = options;
  }

  add(row: IncidentRow): void {
    const d = durations(row);
    const t = evaluateIncidentTargets(row, row, this.options.now);
    if (row.isDrill) {
      this.drills.add(row, d, t);
      return;
    }
    this.overall.add(row, d, t);
    this.bySeverity.get(row.severity).add(row, d, t);
    this.byService.get(row.serviceSlug).add(row, d, t);
    this.byTeam.get(row.teamSlug).add(row, d, t);
    const start = bucketStart(row.detectedAt, this.options.bucket);
    let bucket = this.byBucket.get(start);
    if (!bucket) this.byBucket.set(start, (bucket = new GroupAccumulator()));
    bucket.add(row, d, t);
    let counts = this.severityByBucket.get(start);
    if (!counts) this.severityByBucket.set(start, (counts = {}));
    counts[row.severity] = (counts[row.severity] ?? 0) + 1;
    if (row.serviceSlug) {
      const starts = this.starts.get(row.serviceSlug);
      if (starts) starts.push(row.detectedAt);
      else this.starts.set(row.serviceSlug, [row.detectedAt]);
    }
  }

  finish(pages: readonly PageRow[], extras: ReportExtras = {}): IncidentReport {
    const { options } = this;
    const trend: IncidentReport['trend'] = [];
    for (let start = bucketStart(options.from, options.bucket); start < options.to; start = nextBucket(start, options.bucket)) {
      trend.push({ start: new Date(start).toISOString(), ...(this.byBucket.get(start) ?? new GroupAccumulator()).finish(null), severityCounts: this.severityByBucket.get(start) ?? {} });
    }
    return {
      range: { from: new Date(options.from).toISOString(), to: new Date(options.to).toISOString(), bucket: options.bucket },
      definitions: DEFINITIONS,
      smallSampleBelow: SMALL_SAMPLE_BELOW,
      overall: this.overall.finish(null),
      bySeverity: this.bySeverity.finish(),
      byService: this.byService.finish(),
      byTeam: this.byTeam.finish(),
      trend,
      mtbf: mtbf(this.starts),
      drills: this.drills.finish(null),
      onCall: { definition: DEFINITIONS.onCall, timeAcknowledgedDefinition: DEFINITIONS.timeAcknowledged, people: withTimeAcknowledged(onCallLoad(pages), extras.acknowledged ?? []) },
      cadence: { definition: DEFINITIONS.cadence, ...cadenceAdherence(extras.cadence ?? []) },
      followUps: followUpCompletion(extras.followUps ?? { postMortems: null, actionItems: null }),
    };
  }
}

/** The whole report from incident and page rows already narrowed to the range and filters. */
export function buildIncidentReport(incidents: readonly IncidentRow[], pages: readonly PageRow[], options: ReportOptions, extras: ReportExtras = {}): IncidentReport {
  const acc = new IncidentReportAccumulator(options);
  for (const row of incidents) acc.add(row);
  return acc.finish(pages, extras);
}
