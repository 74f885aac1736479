import type { IncidentReportAccumulator, IncidentRow } from './build-report.js';
import { CADENCE_EVENT_KINDS, type CadenceCountRow } from './cadence-adherence.js';
import type { CompletionCounts, FollowUpRecords } from './follow-up-completion.js';
import { OnCallTally, type AcknowledgedTimeRow, type OnCallLoad } from './on-call-load.js';
import { Dictionary, type ReportFacts } from './report-facts.js';

/** Which incidents the report covers: one service, a team's services, some severities (each optional). */
export interface FoldScope {
  serviceId: string | null;
  teamServiceIds: ReadonlySet<string> | null;
  severity: readonly string[];
}

/** The small tables the report looks names and targets up in. */
export interface FoldLookups {
  services: ReadonlyMap<string, { slug: string; teamSlug: string | null }>;
  targets: ReadonlyMap<string, { ack: number | null; resolve: number | null; businessHours: boolean; postmortemRequired: boolean; postmortemDueSeconds: number | null }>;
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
  private slots = 0;
  /** Slots below this are the range's own incidents (addIncidents); the rest only events name. */
  private rangeSlots = 0;
  private severity = new Int32Array(1024); // index into severityKeys
  private counted = new Uint8Array(1024); // bit 1: in scope, bit 2: a drill
  private resolvedAt = new Float64Array(1024); // NaN: not resolved
  private readonly severityKeys = new Dictionary();
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

  private remember(number: number, severity: number, drill: boolean, resolvedAt: number, inScope: boolean): void {
    if (this.slotOf(number) >= 0) return;
    if (this.slots === this.severity.length) this.grow(this.slots * 2);
    const slot = this.slots++;
    const d = number - this.numberBase;
    if (d >= 0 && d < this.dense.length) this.dense[d] = slot;
    else this.sparse.set(number, slot);
    this.severity[slot] = severity;
    this.counted[slot] = (inScope ? 1 : 0) | (drill ? 2 : 0);
    this.resolvedAt[slot] = resolvedAt;
  }

  private grow(capacity: number): void {
    if (capacity <= this.severity.length) return;
    const severity = new Int32Array(capacity);
    severity.set(this.severity);
    const counted = new Uint8Array(capacity);
    counted.set(this.counted);
    const resolvedAt = new Float64Array(capacity);
    resolvedAt.set(this.resolvedAt);
    this.severity = severity;
    this.counted = counted;
    this.resolvedAt = resolvedAt;
  }

  /** Sizes the slots, and the dense index to the range's incident numbers (they are mostly consecutive). How many there are. */
  private indexNumbers(parts: readonly ReportFacts[]): number {
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
    this.grow(this.slots + count);
    if (count === 0 || max - min > 4 * count + 1024) return count;
    this.numberBase = min;
    this.dense = new Int32Array(max - min + 1).fill(-1);
    return count;
  }

  addIncidents(parts: readonly ReportFacts[], acc: IncidentReportAccumulator): void {
    acc.reserve(this.indexNumbers(parts));
    // One row object, refilled per incident: the accumulator keeps numbers, never the row.
    const row: IncidentRow = {
      id: '', number: 0, severity: '', serviceSlug: null, teamSlug: null, isDrill: false, detectedAt: 0, declaredAt: 0,
      acknowledgedAt: null, mitigatedAt: null, resolvedAt: null, ackTargetSeconds: null, resolveTargetSeconds: null, businessHours: false,
    };
    const noService = { id: null, accService: acc.serviceId(null), accTeam: acc.teamId(null) };
    for (const f of parts) {
      const inc = f.incidents;
      // Looked up once per part's dictionary entry, not per incident.
      const services = f.services.map((id) => {
        const service = this.lookups.services.get(id);
        return { id, accService: acc.serviceId(service?.slug ?? null), accTeam: acc.teamId(service?.teamSlug ?? null) };
      });
      const severities = f.severities.map((key) => ({ key, targets: this.lookups.targets.get(key), accSeverity: acc.severityId(key), fold: this.severityKeys.of(key) }));
      const scoped = new Int8Array(severities.length * (services.length + 1)).fill(-1);
      for (let i = 0; i < inc.number.length; i++) {
        const severityIndex = inc.severity[i]!;
        const serviceIndex = inc.service[i]!;
        const severity = severities[severityIndex]!;
        const service = serviceIndex < 0 ? noService : services[serviceIndex]!;
        const detectedAt = inc.detectedAt[i]!;
        const resolved = inc.resolved[i]!;
        const resolvedAt = resolved !== resolved ? null : detectedAt + resolved; // NaN: not yet
        const drill = inc.drill[i] === 1;
        const scopeKey = severityIndex * (services.length + 1) + serviceIndex + 1;
        let inScope = scoped[scopeKey]!;
        if (inScope < 0) scoped[scopeKey] = inScope = this.inScope(severity.key, service.id) ? 1 : 0;
        this.remember(inc.number[i]!, severity.fold, drill, detectedAt + resolved, inScope === 1);
        if (inScope === 0) continue;
        const targets = severity.targets;
        const acknowledged = inc.acknowledged[i]!;
        const mitigated = inc.mitigated[i]!;
        row.number = inc.number[i]!;
        row.isDrill = drill;
        row.detectedAt = detectedAt;
        row.declaredAt = detectedAt + inc.declared[i]!;
        row.acknowledgedAt = acknowledged !== acknowledged ? null : detectedAt + acknowledged;
        row.mitigatedAt = mitigated !== mitigated ? null : detectedAt + mitigated;
        row.resolvedAt = resolvedAt;
        row.ackTargetSeconds = targets?.ack ?? null;
        row.resolveTargetSeconds = targets?.resolve ?? null;
        row.businessHours = targets?.businessHours ?? false;
        acc.addWithIds(row, severity.accSeverity, service.accService, service.accTeam);
      }
    }
    this.rangeSlots = this.slots;
  }

  /**
   * Post-mortem and action-item completion over the range's incidents in scope, drills left
   * out (call after addIncidents): post-mortems for the resolved ones whose severity requires
   * one (published: completed; else overdue once due: the post-mortem's due date, or resolution
   * + the severity's due offset); action items (done: completed; else overdue once due).
   */
  followUps(records: FollowUpRecords, now: number): { postMortems: CompletionCounts; actionItems: CompletionCounts } {
    const ours = (incident: number): number => {
      const k = this.slotOf(incident);
      return k >= 0 && k < this.rangeSlots && this.counted[k] === 1 ? k : -1;
    };
    const written = new Map<number, FollowUpRecords['postMortems']>();
    for (const p of records.postMortems) {
      const k = ours(p.incident);
      if (k < 0) continue;
      let list = written.get(k);
      if (!list) written.set(k, (list = []));
      list.push(p);
    }
    const postMortems = { total: 0, completed: 0, overdue: 0 };
    const severities = this.severityKeys.values.map((key) => this.lookups.targets.get(key));
    for (let k = 0; k < this.rangeSlots; k++) {
      const severity = severities[this.severity[k]!];
      const resolvedAt = this.resolvedAt[k]!;
      if (this.counted[k] !== 1 || !severity?.postmortemRequired || resolvedAt !== resolvedAt) continue;
      const dueBySeverity = severity.postmortemDueSeconds === null ? null : resolvedAt + severity.postmortemDueSeconds * 1000;
      // One count per post-mortem covering the incident; an incident with none counts once, as not written.
      for (const p of written.get(k) ?? [null]) {
        postMortems.total += 1;
        if (p?.status === 'published') postMortems.completed += 1;
        else {
          const due = p?.dueAt ?? dueBySeverity;
          if (due !== null && due < now) postMortems.overdue += 1;
        }
      }
    }
    const actionItems = { total: 0, completed: 0, overdue: 0 };
    for (const a of records.actionItems) {
      if (ours(a.incident) < 0) continue;
      actionItems.total += 1;
      if (a.status === 'done') actionItems.completed += 1;
      else if (a.dueAt < now) actionItems.overdue += 1;
    }
    return { postMortems, actionItems };
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

  foldEvents(parts: readonly ReportFacts[], others: readonly IncidentAttributes[], now: number): { onCall: OnCallLoad[]; acknowledged: AcknowledgedTimeRow[]; cadence: CadenceCountRow[] } {
    this.grow(this.slots + others.length);
    for (const a of others) this.remember(a.number, this.severityKeys.of(a.severity), a.drill, a.resolvedAt ?? Number.NaN, this.inScope(a.severity, a.serviceId));
    const onCall = new OnCallTally();
    const acked = new Map<string, AcknowledgedTimeRow>();
    const cadence = new Int32Array(this.severityKeys.values.length * CADENCE_EVENT_KINDS.length);
    for (const f of parts) {
      // Each person of the part looked up once; undefined: no (longer existing) user, whose pages count for no one.
      const people = f.people.map((userId) => {
        const user = this.lookups.users.get(userId);
        return user && { userId, user };
      });
      // Their on-call rows, made at their first page in scope (someone with none has no row).
      const tallies: ReturnType<OnCallTally['person']>[] = new Array(people.length);
      for (let i = 0; i < f.pages.at.length; i++) {
        const k = this.slotOf(f.pages.incident[i]!);
        if (k < 0 || (this.counted[k]! & 1) === 0) continue;
        const p = f.pages.person[i]!;
        const person = people[p];
        if (!person) continue;
        const tally = (tallies[p] ??= onCall.person(person.userId, person.user.name, person.user.timeZone));
        onCall.page(tally, f.pages.incident[i]!, (this.counted[k]! & 2) !== 0, f.pages.at[i]!);
      }
      for (let i = 0; i < f.acks.at.length; i++) {
        const k = this.slotOf(f.acks.incident[i]!);
        if (k < 0 || this.counted[k] !== 1) continue; // out of scope, or a drill
        const person = people[f.acks.person[i]!];
        if (!person) continue;
        // Acknowledged until the person's own hand-off, the resolution, or now, whichever came first.
        const at = f.acks.at[i]!;
        const handoffAt = f.acks.handoffAt[i]!;
        const resolvedAt = this.resolvedAt[k]!;
        const resolved = resolvedAt === resolvedAt; // NaN: not resolved
        const end = handoffAt === handoffAt && (!resolved || handoffAt < resolvedAt) ? handoffAt : resolved ? resolvedAt : now;
        let row = acked.get(person.userId);
        if (!row) acked.set(person.userId, (row = { userId: person.userId, userName: person.user.name, timeZone: person.user.timeZone, acknowledgements: 0, acknowledgedMs: 0 }));
        row.acknowledgements += 1;
        row.acknowledgedMs += end > at ? end - at : 0;
      }
      for (let i = 0; i < f.cadence.at.length; i++) {
        const k = this.slotOf(f.cadence.incident[i]!);
        const kind = f.cadence.kind[i]!;
        if (k < 0 || CADENCE_EVENT_KINDS[kind] === undefined || this.counted[k] !== 1) continue;
        cadence[this.severity[k]! * CADENCE_EVENT_KINDS.length + kind]! += 1;
      }
    }
    const cadenceRows: CadenceCountRow[] = [];
    this.severityKeys.values.forEach((severity, s) =>
      CADENCE_EVENT_KINDS.forEach((kind, k) => {
        const count = cadence[s * CADENCE_EVENT_KINDS.length + k]!;
        if (count > 0) cadenceRows.push({ severity, kind, count });
      }),
    );
    return { onCall: onCall.rows(), acknowledged: [...acked.values()], cadence: cadenceRows };
  }
}
