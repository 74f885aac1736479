import { DEFINITIONS, SMALL_SAMPLE_BELOW, type MetricName } from './definitions.js';
import { distributionInPlace, type Distribution } from './distribution.js';
import { emptyGroup, IncidentColumns, OUTCOMES, type GroupFigures, type IncidentEntry } from './incident-columns.js';
import { targetOutcomes } from './incident-targets.js';
import { cadenceAdherence, type CadenceAdherence, type CadenceCountRow } from './cadence-adherence.js';
import { followUpCompletion, type CompletionCounts, type FollowUpCompletion } from './follow-up-completion.js';
import { onCallLoad, withTimeAcknowledged, type AcknowledgedTimeRow, type OnCallLoad, type OnCallLoadWithAck, type PageRow } from './on-call-load.js';

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
  /** The severity's targets count business hours only. */
  businessHours?: boolean;
}

export type Bucket = 'week' | 'month';

export interface ReportOptions {
  from: number;
  to: number;
  bucket: Bucket;
  now: number;
}

export type Figures = Record<MetricName, Distribution & { definition: string }>;

export type { GroupFigures } from './incident-columns.js';

export interface IncidentReport {
  range: { from: string; to: string; bucket: Bucket };
  definitions: typeof DEFINITIONS;
  smallSampleBelow: number;
  overall: GroupFigures;
  bySeverity: GroupFigures[];
  byService: GroupFigures[];
  byTeam: GroupFigures[];
  /** Per bucket: the figures, and incident counts per severity (for the stacked chart). */
  trend: (GroupFigures & { start: string; severityCounts: Record<string, number> })[];
  mtbf: { service: string; incidents: number; figures: Distribution & { definition: string } }[];
  drills: GroupFigures;
  onCall: { definition: string; timeAcknowledgedDefinition: string; people: OnCallLoadWithAck[] };
  cadence: { definition: string; overall: CadenceAdherence; bySeverity: CadenceAdherence[] };
  followUps: FollowUpCompletion;
}

/** What the report reads besides incidents and pages; each defaults to "none" (or "not available"). */
export interface ReportExtras {
  acknowledged?: readonly AcknowledgedTimeRow[];
  cadence?: readonly CadenceCountRow[];
  followUps?: { postMortems: CompletionCounts | null; actionItems: CompletionCounts | null };
}

/** Seconds from `from` to `to`, never negative; NaN while `to` has not come. */
const secondsBetween = (from: number, to: number | null): number => (to === null ? Number.NaN : Math.max(0, Math.round((to - from) / 1000)));

/** A grouping's keys and their ids in the columns. */
class Keys<K> {
  readonly ids = new Map<K, number>();
  readonly keys: K[] = [];
  id(key: K): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
    }
    return id;
  }
}

/** Start of the UTC week (Monday) or month holding `at`. */
export function bucketStart(at: number, bucket: Bucket): number {
  if (bucket === 'month') {
    const d = new Date(at);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  // Day 0 of the epoch (1970-01-01) was a Thursday: Monday-based weekday = (days + 3) mod 7.
  const days = Math.floor(at / 86_400_000);
  return (days - (((days + 3) % 7) + 7) % 7) * 86_400_000;
}

function nextBucket(start: number, bucket: Bucket): number {
  if (bucket === 'week') return start + 7 * 86_400_000;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * The report built one incident at a time: `add` each incident row of the range (in any order),
 * then `finish` with the page rows. Pure: `now` decides which open incidents have missed their
 * targets. Every trend bucket in the range appears, empty or not, so a chart shows quiet weeks
 * as quiet.
 */
export class IncidentReportAccumulator {
  private readonly columns = new IncidentColumns();
  private readonly severities = new Keys<string>();
  private readonly services = new Keys<string | null>();
  private readonly teams = new Keys<string | null>();
  private readonly buckets = new Keys<number>();
  private readonly options: ReportOptions;
  // One entry object, refilled per incident: the columns copy its numbers.
  private readonly entry: IncidentEntry = {
    ttd: 0, tta: 0, ttm: 0, ttr: 0, detectedAt: 0, severity: 0, service: 0, team: 0, bucket: 0, drill: false, open: false, unacknowledged: false, ack: 0, resolve: 0,
  };

  constructor(options: ReportOptions) {
    this.options = options;
  }

  // The last bucket found: incidents arrive in time order (mostly), so most fall in it.
  private lastBucket = { start: Number.NaN, end: Number.NaN, id: -1 };
  private bucketOf(at: number): number {
    const last = this.lastBucket;
    if (at >= last.start && at < last.end) return last.id;
    last.start = bucketStart(at, this.options.bucket);
    last.end = nextBucket(last.start, this.options.bucket);
    last.id = this.buckets.id(last.start);
    return last.id;
  }

  add(row: IncidentRow): void {
    this.addWithIds(row, this.severities.id(row.severity), this.services.id(row.serviceSlug), this.teams.id(row.teamSlug));
  }

  /** Room for `n` more incidents, made at once. */
  reserve(n: number): void {
    this.columns.reserve(this.columns.length + n);
  }

  /** The ids `addWithIds` takes: a caller adding many incidents looks each key up once, not per incident. */
  severityId(key: string): number {
    return this.severities.id(key);
  }
  serviceId(slug: string | null): number {
    return this.services.id(slug);
  }
  teamId(slug: string | null): number {
    return this.teams.id(slug);
  }

  /** `add` with the row's severity, service and team already turned into their ids (the row's own keys are not read). */
  addWithIds(row: IncidentRow, severity: number, service: number, team: number): void {
    const t = targetOutcomes(row, row, this.options.now);
    const e = this.entry;
    e.ttd = secondsBetween(row.detectedAt, Math.max(row.detectedAt, row.declaredAt));
    e.tta = secondsBetween(row.detectedAt, row.acknowledgedAt);
    e.ttm = secondsBetween(row.detectedAt, row.mitigatedAt);
    e.ttr = secondsBetween(row.detectedAt, row.resolvedAt);
    e.detectedAt = row.detectedAt;
    e.severity = severity;
    e.service = service;
    e.team = team;
    e.bucket = this.bucketOf(row.detectedAt);
    e.drill = row.isDrill;
    e.open = row.resolvedAt === null;
    e.unacknowledged = row.acknowledgedAt === null && row.resolvedAt !== null;
    e.ack = OUTCOMES.indexOf(t.ack);
    e.resolve = OUTCOMES.indexOf(t.resolve);
    this.columns.push(e);
  }

  /** The groups of one grouping, largest first (ties by key), drills left out. */
  private groups<K extends string | null>(groupOf: Int32Array, keys: Keys<K>): GroupFigures[] {
    const figures = this.columns.figuresByGroup(groupOf, keys.keys.length);
    const out: GroupFigures[] = [];
    figures.forEach((f, id) => {
      if (f) out.push({ key: keys.keys[id]!, ...f });
    });
    return out.sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
  }

  /** Per service: the gaps between the starts of consecutive incidents (drills left out). */
  private mtbf(): IncidentReport['mtbf'] {
    const c = this.columns;
    const services = this.services.keys;
    // The starts gathered per service (a counting sort on the service id), each service's sorted.
    const starts = new Int32Array(services.length + 1);
    const counted = (i: number): boolean => (c.flags[i]! & 1) === 0 && !!services[c.service[i]!];
    for (let i = 0; i < c.length; i++) if (counted(i)) starts[c.service[i]! + 1]! += 1;
    for (let s = 1; s <= services.length; s++) starts[s]! += starts[s - 1]!;
    const next = starts.slice(0, services.length);
    const detected = new Float64Array(starts[services.length]!);
    for (let i = 0; i < c.length; i++) if (counted(i)) detected[next[c.service[i]!]!++] = c.detectedAt[i]!;
    const out: IncidentReport['mtbf'] = [];
    for (let s = 0; s < services.length; s++) {
      if (starts[s] === starts[s + 1]) continue;
      const sorted = detected.subarray(starts[s]!, starts[s + 1]!).sort();
      const gaps = new Float64Array(sorted.length - 1);
      for (let i = 1; i < sorted.length; i++) gaps[i - 1] = Math.round((sorted[i]! - sorted[i - 1]!) / 1000);
      out.push({ service: services[s]!, incidents: sorted.length, figures: { ...distributionInPlace(gaps), definition: DEFINITIONS.mtbf } });
    }
    return out.sort((a, b) => a.service.localeCompare(b.service));
  }

  /** The report, with the on-call load already tallied from the range's pages (onCallLoad). */
  finish(onCall: readonly OnCallLoad[], extras: ReportExtras = {}): IncidentReport {
    const { options, columns: c } = this;
    const byBucket = c.figuresByGroup(c.bucket, this.buckets.keys.length);
    const severityCounts = this.severityCountsByBucket();
    const [overall, drills] = c.overallAndDrills();
    const trend: IncidentReport['trend'] = [];
    for (let start = bucketStart(options.from, options.bucket); start < options.to; start = nextBucket(start, options.bucket)) {
      const id = this.buckets.ids.get(start);
      const figures = id === undefined ? undefined : byBucket[id];
      trend.push({ start: new Date(start).toISOString(), ...(figures ? { key: null, ...figures } : emptyGroup(null)), severityCounts: id === undefined ? {} : severityCounts[id]! });
    }
    return {
      range: { from: new Date(options.from).toISOString(), to: new Date(options.to).toISOString(), bucket: options.bucket },
      definitions: DEFINITIONS,
      smallSampleBelow: SMALL_SAMPLE_BELOW,
      overall: withKey(overall),
      bySeverity: this.groups(c.severity, this.severities),
      byService: this.groups(c.service, this.services),
      byTeam: this.groups(c.team, this.teams),
      trend,
      mtbf: this.mtbf(),
      drills: withKey(drills),
      onCall: { definition: DEFINITIONS.onCall, timeAcknowledgedDefinition: DEFINITIONS.timeAcknowledged, people: withTimeAcknowledged(onCall, extras.acknowledged ?? []) },
      cadence: { definition: DEFINITIONS.cadence, ...cadenceAdherence(extras.cadence ?? []) },
      followUps: followUpCompletion(extras.followUps ?? { postMortems: null, actionItems: null }),
    };
  }

  /** Per bucket: incidents per severity (drills left out), each bucket's severities in the order they first appear. */
  private severityCountsByBucket(): Record<string, number>[] {
    const c = this.columns;
    const severities = this.severities.keys.length;
    const counts = new Int32Array(this.buckets.keys.length * severities);
    const firstSeen: number[][] = this.buckets.keys.map(() => []);
    for (let i = 0; i < c.length; i++) {
      if (c.flags[i]! & 1) continue;
      const at = c.bucket[i]! * severities + c.severity[i]!;
      if (counts[at]!++ === 0) firstSeen[c.bucket[i]!]!.push(c.severity[i]!);
    }
    return firstSeen.map((order, b) => Object.fromEntries(order.map((s) => [this.severities.keys[s]!, counts[b * severities + s]!])));
  }
}

const withKey = (figures: Omit<GroupFigures, 'key'> | undefined): GroupFigures => (figures ? { key: null, ...figures } : emptyGroup(null));

/** The whole report from incident and page rows already narrowed to the range and filters. */
export function buildIncidentReport(incidents: readonly IncidentRow[], pages: readonly PageRow[], options: ReportOptions, extras: ReportExtras = {}): IncidentReport {
  const acc = new IncidentReportAccumulator(options);
  for (const row of incidents) acc.add(row);
  return acc.finish(onCallLoad(pages), extras);
}
