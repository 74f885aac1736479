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
  /** Incident number → slot: a dense array over the numbers of the range's incidents, a map for the few others. */
  private numberBase = 0;
  private dense = new Int32Array(0);
  private readonly sparse = new Map<number, number>();
  // Per slot: what events need of their incident, the scope decided once.
  private readonly severity: string[] = [];
  private readonly counted: number[] = []; // bit 1: in scope, bit 2: a drill
  private readonly resolvedAt: number[] = []; // NaN: not resolved
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

  private slotOf(number: number): number {
    const d = number - this.numberBase;
    if (d >= 0 && d < this.dense.length) {
      const slot = this.dense[d]!;
      if (slot >= 0) return slot;
    }
    return this.sparse.get(number) ?? -1;
  }

  private remember(number: number, severity: string, drill: boolean, resolvedAt: number | null, inScope: boolean): void {
    if (this.slotOf(number) >= 0) return;
    const slot = this.severity.length;
    const d = number - this.numberBase;
    if (d >= 0 && d < this.dense.length) this.dense[d] = slot;
    else this.sparse.set(number, slot);
    this.severity.push(severity);
    this.counted.push((inScope ? 1 : 0) | (drill ? 2 : 0));
    this.resolvedAt.push(resolvedAt ?? Number.NaN);
  }

  /** Sizes the dense index to the range's incident numbers (they are mostly consecutive). */
  private indexNumbers(parts: readonly ReportFacts[]): void {
    let min = Infinity;
    let max = -Infinity;
    let count = 0;
    for (const f of parts) {
      for (const n of f.incidents.number) {
        if (n < min) min = n;
        if (n > max) max = n;
      }
      count += f.incidents.number.length;
    }
    if (count === 0 || max - min > 4 * count + 1024) return;
    this.numberBase = min;
    this.dense = new Int32Array(max - min + 1).fill(-1);
  }

  addIncidents(parts: readonly ReportFacts[], acc: IncidentReportAccumulator): void {
    this.indexNumbers(parts);
    // One row object, refilled per incident: the accumulator keeps numbers, never the row.
    const row: IncidentRow = {
      id: '', number: 0, severity: '', serviceSlug: null, teamSlug: null, isDrill: false, detectedAt: 0, declaredAt: 0,
      acknowledgedAt: null, mitigatedAt: null, resolvedAt: null, ackTargetSeconds: null, resolveTargetSeconds: null, businessHours: false,
    };
    for (const f of parts) {
      const inc = f.incidents;
      // Looked up once per part's dictionary entry, not per incident.
      const services = f.services.map((id) => ({ id, service: this.lookups.services.get(id) }));
      const targetsOf = f.severities.map((key) => this.lookups.targets.get(key));
      const scoped = new Map<number, boolean>();
      for (let i = 0; i < inc.number.length; i++) {
        const severityIndex = inc.severity[i]!;
        const serviceIndex = inc.service[i]!;
        const severity = f.severities[severityIndex]!;
        const detectedAt = inc.detectedAt[i]!;
        const resolved = inc.resolved[i]!;
        const resolvedAt = resolved !== resolved ? null : detectedAt + resolved; // NaN: not yet
        const drill = inc.drill[i] === 1;
        const scopeKey = severityIndex * 65_536 + serviceIndex + 1;
        let inScope = scoped.get(scopeKey);
        if (inScope === undefined) scoped.set(scopeKey, (inScope = this.inScope(severity, serviceIndex < 0 ? null : services[serviceIndex]!.id)));
        this.remember(inc.number[i]!, severity, drill, resolvedAt, inScope);
        if (!inScope) continue;
        const service = serviceIndex < 0 ? undefined : services[serviceIndex]!.service;
        const targets = targetsOf[severityIndex];
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
      for (const n of numbers) if (this.slotOf(n) < 0) missing.add(n);
    };
    for (const f of parts) {
      check(f.pages.incident);
      check(f.acks.incident);
      check(f.cadence.incident);
    }
    return [...missing];
  }

  foldEvents(parts: readonly ReportFacts[], others: readonly IncidentAttributes[], now: number): { pages: PageRow[]; acknowledged: AcknowledgedTimeRow[]; cadence: CadenceCountRow[] } {
    for (const a of others) this.remember(a.number, a.severity, a.drill, a.resolvedAt, this.inScope(a.severity, a.serviceId));
    const pages: PageRow[] = [];
    const acked = new Map<string, AcknowledgedTimeRow>();
    const cadenceCounts = new Map<string, CadenceCountRow>();
    for (const f of parts) {
      for (let i = 0; i < f.pages.at.length; i++) {
        const k = this.slotOf(f.pages.incident[i]!);
        if (k < 0 || (this.counted[k]! & 1) === 0) continue;
        const userId = f.people[f.pages.person[i]!]!;
        const user = this.lookups.users.get(userId);
        if (!user) continue; // a page to no (longer existing) user counts for no one
        pages.push({ userId, userName: user.name, timeZone: user.timeZone, incidentId: String(f.pages.incident[i]), isDrill: (this.counted[k]! & 2) !== 0, at: f.pages.at[i]! });
      }
      for (let i = 0; i < f.acks.at.length; i++) {
        const k = this.slotOf(f.acks.incident[i]!);
        if (k < 0 || this.counted[k] !== 1) continue; // out of scope, or a drill
        const userId = f.people[f.acks.person[i]!]!;
        const user = this.lookups.users.get(userId);
        if (!user) continue;
        // Acknowledged until the person's own hand-off, the resolution, or now, whichever came first.
        const at = f.acks.at[i]!;
        const handoffAt = f.acks.handoffAt[i]!;
        const resolvedAt = this.resolvedAt[k]!;
        const resolved = resolvedAt === resolvedAt; // NaN: not resolved
        const end = handoffAt === handoffAt && (!resolved || handoffAt < resolvedAt) ? handoffAt : resolved ? resolvedAt : now;
        let row = acked.get(userId);
        if (!row) acked.set(userId, (row = { userId, userName: user.name, timeZone: user.timeZone, acknowledgements: 0, acknowledgedMs: 0 }));
        row.acknowledgements += 1;
        row.acknowledgedMs += end > at ? end - at : 0;
      }
      for (let i = 0; i < f.cadence.at.length; i++) {
        const k = this.slotOf(f.cadence.incident[i]!);
        const kind = CADENCE_EVENT_KINDS[f.cadence.kind[i]!];
        if (k < 0 || kind === undefined || this.counted[k] !== 1) continue;
        const key = `${this.severity[k]} ${kind}`;
        let row = cadenceCounts.get(key);
        if (!row) cadenceCounts.set(key, (row = { severity: this.severity[k]!, kind, count: 0 }));
        row.count += 1;
      }
    }
    return { pages, acknowledged: [...acked.values()], cadence: [...cadenceCounts.values()] };
  }
}
