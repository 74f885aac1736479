import type { IncidentReportAccumulator, IncidentRow } from './build-report.js';
import { CADENCE_EVENT_KINDS, type CadenceCountRow } from './cadence-adherence.js';
import type { AcknowledgedTimeRow, PageRow } from './on-call-load.js';
import type { ReportFacts } from './report-facts.js';

/** Which incidents the report covers: one service, a team's services, some severities (each optional). */
export interface FoldScope {
  serviceId: string | null;
  teamServiceIds: ReadonlySet<string> | null;
  severity: readonly string[];
}

/** The small tables the report looks names and targets up in. */
export interface FoldLookups {
  services: ReadonlyMap<string, { slug: string; teamSlug: string | null }>;
  targets: ReadonlyMap<string, { ack: number | null; resolve: number | null; businessHours: boolean }>;
  users: ReadonlyMap<string, { name: string; timeZone: string }>;
}

/** What an event needs of its incident: whether it is in scope, a drill, and when it resolved. */
export interface IncidentAttributes {
  number: number;
  severity: string;
  serviceId: string | null;
  drill: boolean;
  resolvedAt: number | null;
}

/**
 * Folds report facts (cached days and freshly read stretches alike) into the report: incidents
 * into the accumulator, events into page rows, acknowledged time per person and cadence counts.
 * Pure. In two steps, because events may name incidents detected before the range (a long
 * incident paged again): `addIncidents` first, then the caller reads the attributes of
 * `missingIncidents` and passes them to `foldEvents`.
 */
export class ReportFold {
  private readonly incidentIndex = new Map<number, number>();
  private readonly severity: string[] = [];
  private readonly serviceId: (string | null)[] = [];
  private readonly drill: boolean[] = [];
  private readonly resolvedAt: (number | null)[] = [];
  private readonly scope: FoldScope;
  private readonly lookups: FoldLookups;

  constructor(scope: FoldScope, lookups: FoldLookups) {
    this.scope = scope;
    this.lookups = lookups;
  }

  private inScope(severity: string, serviceId: string | null): boolean {
    const { scope } = this;
    if (scope.serviceId !== null && serviceId !== scope.serviceId) return false;
    if (scope.teamServiceIds !== null && (serviceId === null || !scope.teamServiceIds.has(serviceId))) return false;
    return scope.severity.length === 0 || scope.severity.includes(severity);
  }

  private remember(a: IncidentAttributes): void {
    if (this.incidentIndex.has(a.number)) return;
    this.incidentIndex.set(a.number, this.severity.length);
    this.severity.push(a.severity);
    this.serviceId.push(a.serviceId);
    this.drill.push(a.drill);
    this.resolvedAt.push(a.resolvedAt);
  }

  addIncidents(parts: readonly ReportFacts[], acc: IncidentReportAccumulator): void {
    // One row object, refilled per incident: the accumulator keeps numbers, never the row.
    const row: IncidentRow = {
      id: '', number: 0, severity: '', serviceSlug: null, teamSlug: null, isDrill: false, detectedAt: 0, declaredAt: 0,
      acknowledgedAt: null, mitigatedAt: null, resolvedAt: null, ackTargetSeconds: null, resolveTargetSeconds: null, businessHours: false,
    };
    for (const f of parts) {
      const inc = f.incidents;
      for (let i = 0; i < inc.number.length; i++) {
        const severity = f.severities[inc.severity[i]!]!;
        const serviceId = inc.service[i]! < 0 ? null : f.services[inc.service[i]!]!;
        const detectedAt = inc.detectedAt[i]!;
        const resolved = inc.resolved[i]!;
        const resolvedAt = resolved !== resolved ? null : detectedAt + resolved; // NaN: not yet
        const drill = inc.drill[i] === 1;
        this.remember({ number: inc.number[i]!, severity, serviceId, drill, resolvedAt });
        if (!this.inScope(severity, serviceId)) continue;
        const service = serviceId === null ? undefined : this.lookups.services.get(serviceId);
        const targets = this.lookups.targets.get(severity);
        const acknowledged = inc.acknowledged[i]!;
        const mitigated = inc.mitigated[i]!;
        row.number = inc.number[i]!;
        row.severity = severity;
        row.serviceSlug = service?.slug ?? null;
        row.teamSlug = service?.teamSlug ?? null;
        row.isDrill = drill;
        row.detectedAt = detectedAt;
        row.declaredAt = detectedAt + inc.declared[i]!;
        row.acknowledgedAt = acknowledged !== acknowledged ? null : detectedAt + acknowledged;
        row.mitigatedAt = mitigated !== mitigated ? null : detectedAt + mitigated;
        row.resolvedAt = resolvedAt;
        row.ackTargetSeconds = targets?.ack ?? null;
        row.resolveTargetSeconds = targets?.resolve ?? null;
        row.businessHours = targets?.businessHours ?? false;
        acc.add(row);
      }
    }
  }

  /** Incident numbers events name that no part detected. */
  missingIncidents(parts: readonly ReportFacts[]): number[] {
    const missing = new Set<number>();
    const check = (numbers: Float64Array) => {
      for (const n of numbers) if (!this.incidentIndex.has(n)) missing.add(n);
    };
    for (const f of parts) {
      check(f.pages.incident);
      check(f.acks.incident);
      check(f.cadence.incident);
    }
    return [...missing];
  }

  foldEvents(parts: readonly ReportFacts[], others: readonly IncidentAttributes[], now: number): { pages: PageRow[]; acknowledged: AcknowledgedTimeRow[]; cadence: CadenceCountRow[] } {
    for (const a of others) this.remember(a);
    const pages: PageRow[] = [];
    const acked = new Map<string, AcknowledgedTimeRow>();
    const cadenceCounts = new Map<string, CadenceCountRow>();
    for (const f of parts) {
      for (let i = 0; i < f.pages.at.length; i++) {
        const k = this.incidentIndex.get(f.pages.incident[i]!);
        if (k === undefined || !this.inScope(this.severity[k]!, this.serviceId[k]!)) continue;
        const userId = f.people[f.pages.person[i]!]!;
        const user = this.lookups.users.get(userId);
        if (!user) continue; // a page to no (longer existing) user counts for no one
        pages.push({ userId, userName: user.name, timeZone: user.timeZone, incidentId: String(f.pages.incident[i]), isDrill: this.drill[k]!, at: f.pages.at[i]! });
      }
      for (let i = 0; i < f.acks.at.length; i++) {
        const k = this.incidentIndex.get(f.acks.incident[i]!);
        if (k === undefined || this.drill[k] || !this.inScope(this.severity[k]!, this.serviceId[k]!)) continue;
        const userId = f.people[f.acks.person[i]!]!;
        const user = this.lookups.users.get(userId);
        if (!user) continue;
        // Acknowledged until the person's own hand-off, the resolution, or now, whichever came first.
        const at = f.acks.at[i]!;
        const handoffAt = f.acks.handoffAt[i]!;
        const resolvedAt = this.resolvedAt[k]!;
        const end = handoffAt === handoffAt && (resolvedAt === null || handoffAt < resolvedAt) ? handoffAt : (resolvedAt ?? now);
        let row = acked.get(userId);
        if (!row) acked.set(userId, (row = { userId, userName: user.name, timeZone: user.timeZone, acknowledgements: 0, acknowledgedMs: 0 }));
        row.acknowledgements += 1;
        row.acknowledgedMs += end > at ? end - at : 0;
      }
      for (let i = 0; i < f.cadence.at.length; i++) {
        const k = this.incidentIndex.get(f.cadence.incident[i]!);
        const kind = CADENCE_EVENT_KINDS[f.cadence.kind[i]!];
        if (k === undefined || kind === undefined || this.drill[k] || !this.inScope(this.severity[k]!, this.serviceId[k]!)) continue;
        const key = `${this.severity[k]} ${kind}`;
        let row = cadenceCounts.get(key);
        if (!row) cadenceCounts.set(key, (row = { severity: this.severity[k]!, kind, count: 0 }));
        row.count += 1;
      }
    }
    return { pages, acknowledged: [...acked.values()], cadence: [...cadenceCounts.values()] };
  }
}
