import { DEFINITIONS, METRICS, SMALL_SAMPLE_BELOW, type MetricName } from './definitions.js';
import { distributionOf, type Distribution } from './distribution.js';
import { evaluateIncidentTargets, type TargetOutcome } from './incident-targets.js';
import { onCallLoad, type OnCallLoad, type PageRow } from './on-call-load.js';

/** An incident as the report needs it: its moments (epoch ms) and the keys it is grouped by. */
export interface IncidentRow {
  id: string;
  number: number;
  severity: string;
  serviceSlug: string | null;
  teamSlug: string | null;
  isDrill: boolean;
  detectedAt: number;
  declaredAt: number;
  acknowledgedAt: number | null;
  mitigatedAt: number | null;
  resolvedAt: number | null;
  ackTargetSeconds: number | null;
  resolveTargetSeconds: number | null;
}

export type Bucket = 'week' | 'month';

export interface ReportOptions {
  from: number;
  to: number;
  bucket: Bucket;
  now: number;
}

export type Figures = Record<MetricName, Distribution & { definition: string }>;
type OutcomeCounts = Record<TargetOutcome, number>;

export interface GroupFigures {
  key: string | null;
  count: number;
  open: number;
  unacknowledged: number;
  figures: Figures;
  targets: { ack: OutcomeCounts; resolve: OutcomeCounts; definition: string };
}

export interface IncidentReport {
  range: { from: string; to: string; bucket: Bucket };
  definitions: typeof DEFINITIONS;
  smallSampleBelow: number;
  overall: GroupFigures;
  bySeverity: GroupFigures[];
  byService: GroupFigures[];
  byTeam: GroupFigures[];
  trend: (GroupFigures & { start: string })[];
  mtbf: { service: string; incidents: number; figures: Distribution & { definition: string } }[];
  drills: GroupFigures;
  onCall: { definition: string; people: OnCallLoad[] };
}

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

function groupFigures(key: string | null, rows: readonly IncidentRow[], now: number): GroupFigures {
  const values: Record<MetricName, number[]> = { ttd: [], tta: [], ttm: [], ttr: [] };
  const targets = { ack: noOutcomes(), resolve: noOutcomes(), definition: DEFINITIONS.targets };
  let open = 0;
  let unacknowledged = 0;
  for (const row of rows) {
    const d = durations(row);
    for (const m of METRICS) if (d[m] !== null) values[m].push(d[m]!);
    if (row.resolvedAt === null) open += 1;
    if (row.acknowledgedAt === null && row.resolvedAt !== null) unacknowledged += 1;
    const t = evaluateIncidentTargets(row, row, now);
    targets.ack[t.ack.outcome] += 1;
    targets.resolve[t.resolve.outcome] += 1;
  }
  const figures = Object.fromEntries(METRICS.map((m) => [m, { ...distributionOf(values[m]), definition: DEFINITIONS[m] }])) as Figures;
  return { key, count: rows.length, open, unacknowledged, figures, targets };
}

function groupBy(rows: readonly IncidentRow[], keyOf: (r: IncidentRow) => string | null, now: number): GroupFigures[] {
  const groups = new Map<string | null, IncidentRow[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return [...groups.entries()]
    .map(([k, g]) => groupFigures(k, g, now))
    .sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
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

function mtbf(rows: readonly IncidentRow[]): IncidentReport['mtbf'] {
  const byService = new Map<string, number[]>();
  for (const row of rows) {
    if (!row.serviceSlug) continue;
    const starts = byService.get(row.serviceSlug);
    if (starts) starts.push(row.detectedAt);
    else byService.set(row.serviceSlug, [row.detectedAt]);
  }
  return [...byService.entries()]
    .map(([service, starts]) => {
      const sorted = starts.sort((a, b) => a - b);
      const gaps = sorted.slice(1).map((at, i) => Math.round((at - sorted[i]!) / 1000));
      return { service, incidents: sorted.length, figures: { ...distributionOf(gaps), definition: DEFINITIONS.mtbf } };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
}

/**
 * The whole report from incident and page rows already narrowed to the range and filters.
 * Pure: `now` decides which open incidents have missed their targets. Every trend bucket in the
 * range appears, empty or not, so a chart shows quiet weeks as quiet.
 */
export function buildIncidentReport(incidents: readonly IncidentRow[], pages: readonly PageRow[], options: ReportOptions): IncidentReport {
  const real = incidents.filter((r) => !r.isDrill);
  const drills = incidents.filter((r) => r.isDrill);
  const byBucket = new Map<number, IncidentRow[]>();
  for (const r of real) {
    const start = bucketStart(r.detectedAt, options.bucket);
    const rows = byBucket.get(start);
    if (rows) rows.push(r);
    else byBucket.set(start, [r]);
  }
  const trend: IncidentReport['trend'] = [];
  for (let start = bucketStart(options.from, options.bucket); start < options.to; start = nextBucket(start, options.bucket)) {
    trend.push({ start: new Date(start).toISOString(), ...groupFigures(null, byBucket.get(start) ?? [], options.now) });
  }
  return {
    range: { from: new Date(options.from).toISOString(), to: new Date(options.to).toISOString(), bucket: options.bucket },
    definitions: DEFINITIONS,
    smallSampleBelow: SMALL_SAMPLE_BELOW,
    overall: groupFigures(null, real, options.now),
    bySeverity: groupBy(real, (r) => r.severity, options.now),
    byService: groupBy(real, (r) => r.serviceSlug, options.now),
    byTeam: groupBy(real, (r) => r.teamSlug, options.now),
    trend,
    mtbf: mtbf(real),
    drills: groupFigures(null, drills, options.now),
    onCall: { definition: DEFINITIONS.onCall, people: onCallLoad(pages) },
  };
}
