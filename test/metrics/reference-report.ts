import { sql } from 'kysely';
import type { IncidentReport, IncidentRow } from '../../src/domain/metrics/build-report.js';
import { IncidentReportAccumulator } from './reference-accumulator.js';
import { CADENCE_EVENT_KINDS, type CadenceCountRow } from '../../src/domain/metrics/cadence-adherence.js';
import type { AcknowledgedTimeRow, PageRow } from '../../src/domain/metrics/on-call-load.js';
import type { Db } from '../../src/store/index.js';

/**
 * The incident report as getIncidentReport computed it before it was made to scale (issue 13,
 * commit 52c6ebe): joins per row, every filter a bound parameter, timeline events by kind. Kept
 * only as the reference the fast report must equal (report-at-scale.test.ts).
 */
const CHUNK = 5_000;

interface Scope {
  from: number;
  to: number;
  serviceId: string | null;
  teamId: string | null;
  severity: readonly string[];
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export async function referenceReport(db: Db, scope: Scope & { bucket: 'week' | 'month'; now: number }): Promise<IncidentReport> {
  const acc = new IncidentReportAccumulator({ from: scope.from, to: scope.to, bucket: scope.bucket, now: scope.now });
  await streamIncidents(db, scope, (row) => acc.add(row));
  const [pages, acknowledged, cadence] = await Promise.all([loadPages(db, scope), loadAcknowledgedTime(db, scope, scope.now), loadCadence(db, scope)]);
  return acc.finish(pages, { acknowledged, cadence });
}

async function streamIncidents(db: Db, scope: Scope, add: (row: IncidentRow) => void): Promise<void> {
  let after: { at: number; id: string } | null = null;
  for (;;) {
    let q = db
      .selectFrom('incidents as i')
      .leftJoin('services as s', 's.id', 'i.service_id')
      .leftJoin('teams as t', 't.id', 's.team_id')
      .leftJoin('severities as v', 'v.key', 'i.severity')
      .select([
        'i.id', 'i.number', 'i.severity', 'i.is_drill', 'i.detected_at', 'i.declared_at', 'i.acknowledged_at', 'i.mitigated_at', 'i.resolved_at',
        's.slug as service_slug', 't.slug as team_slug', 'v.ack_target_seconds', 'v.resolve_target_seconds',
      ])
      .where('i.detected_at', '>=', scope.from)
      .where('i.detected_at', '<', scope.to);
    if (scope.serviceId) q = q.where('i.service_id', '=', scope.serviceId);
    if (scope.teamId) q = q.where('s.team_id', '=', scope.teamId);
    if (scope.severity.length) q = q.where('i.severity', 'in', scope.severity);
    if (after) {
      const { at, id } = after;
      q = q.where((eb) => eb.or([eb('i.detected_at', '>', at), eb.and([eb('i.detected_at', '=', at), eb('i.id', '>', id)])]));
    }
    const rows = await q.orderBy('i.detected_at').orderBy('i.id').limit(CHUNK).execute();
    for (const r of rows) {
      add({
        id: r.id, number: Number(r.number), severity: r.severity, serviceSlug: r.service_slug, teamSlug: r.team_slug, isDrill: Number(r.is_drill) === 1,
        detectedAt: Number(r.detected_at), declaredAt: Number(r.declared_at),
        acknowledgedAt: num(r.acknowledged_at), mitigatedAt: num(r.mitigated_at), resolvedAt: num(r.resolved_at),
        ackTargetSeconds: num(r.ack_target_seconds), resolveTargetSeconds: num(r.resolve_target_seconds),
      });
    }
    if (rows.length < CHUNK) return;
    const last = rows[rows.length - 1]!;
    after = { at: Number(last.detected_at), id: last.id };
  }
}

async function loadPages(db: Db, scope: Scope): Promise<PageRow[]> {
  // One page = one person, one incident, one escalation step, however many contact methods.
  let pages = db
    .selectFrom('deliveries as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .innerJoin('incidents as i', 'i.id', 'd.incident_id')
    .leftJoin('services as s', 's.id', 'i.service_id')
    .select((eb) => ['d.user_id', 'u.name', 'u.time_zone', 'd.incident_id', 'i.is_drill', eb.fn.min('d.created_at').as('at')])
    .where('d.purpose', '=', 'page')
    .where('d.created_at', '>=', scope.from)
    .where('d.created_at', '<', scope.to)
    .groupBy(['d.user_id', 'u.name', 'u.time_zone', 'd.incident_id', 'i.is_drill', 'd.action_key']);
  if (scope.serviceId) pages = pages.where('i.service_id', '=', scope.serviceId);
  if (scope.teamId) pages = pages.where('s.team_id', '=', scope.teamId);
  if (scope.severity.length) pages = pages.where('i.severity', 'in', scope.severity);
  return (await pages.execute()).map((p) => ({
    userId: p.user_id!, userName: p.name, timeZone: p.time_zone, incidentId: p.incident_id!, isDrill: Number(p.is_drill) === 1, at: Number(p.at),
  }));
}

/** Timeline events of `kinds` in the range on non-drill incidents matching the filters. */
function eventsInScope(db: Db, scope: Scope, kinds: readonly string[]) {
  let q = db
    .selectFrom('timeline_events as te')
    .innerJoin('incidents as i', 'i.id', 'te.incident_id')
    .where('te.kind', 'in', kinds)
    .where('te.at', '>=', scope.from)
    .where('te.at', '<', scope.to)
    .where('i.is_drill', '=', 0);
  if (scope.serviceId) q = q.where('i.service_id', '=', scope.serviceId);
  if (scope.teamId) q = q.where('i.service_id', 'in', (eb) => eb.selectFrom('services').select('id').where('team_id', '=', scope.teamId));
  if (scope.severity.length) q = q.where('i.severity', 'in', scope.severity);
  return q;
}

async function loadCadence(db: Db, scope: Scope): Promise<CadenceCountRow[]> {
  const rows = await eventsInScope(db, scope, CADENCE_EVENT_KINDS)
    .select((eb) => ['i.severity', 'te.kind', eb.fn.countAll().as('n')])
    .groupBy(['i.severity', 'te.kind'])
    .execute();
  return rows.map((r) => ({ severity: r.severity, kind: r.kind as CadenceCountRow['kind'], count: Number(r.n) }));
}

/**
 * Per person: acknowledgements in the range and the summed time from each to the incident's
 * resolution, their own hand-off on that incident if earlier, or now. The status_changed event
 * data is JSON written by applyStatusEvent (`"to":"acknowledged"`), matched as text so one
 * statement serves both dialects; an acknowledgement through an API key counts for its user.
 */
async function loadAcknowledgedTime(db: Db, scope: Scope, now: number): Promise<AcknowledgedTimeRow[]> {
  // The person behind the event: a user, or the user an API key acts for.
  const person = sql<string | null>`case when te.actor_type = 'user' then te.actor_id when te.actor_type = 'apiKey' then (select k.user_id from api_keys k where k.id = te.actor_id) end`;
  const acks = eventsInScope(db, scope, ['status_changed'])
    .where('te.actor_type', 'in', ['user', 'apiKey'])
    .where('te.data', 'like', '%"to":"acknowledged"%')
    .select(['te.incident_id', 'te.at', 'i.resolved_at', person.as('user_id')])
    .as('p');
  const withHandoff = db
    .selectFrom(acks)
    .select((eb) => [
      'p.user_id', 'p.at', 'p.resolved_at',
      eb
        .selectFrom('timeline_events as h')
        .select((h) => h.fn.min('h.at').as('at'))
        .whereRef('h.incident_id', '=', 'p.incident_id')
        .where('h.kind', '=', 'handoff')
        .whereRef('h.at', '>=', 'p.at')
        .where('h.data', 'like', sql<string>`'%"fromUserId":"' || p.user_id || '"%'`)
        .as('handoff_at'),
    ])
    .as('a');
  const end = sql<number>`case when a.handoff_at is not null and (a.resolved_at is null or a.handoff_at < a.resolved_at) then a.handoff_at else coalesce(a.resolved_at, ${now}) end`;
  const rows = await db
    .selectFrom(withHandoff)
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select((eb) => ['u.id', 'u.name', 'u.time_zone', eb.fn.countAll().as('n'), sql<number>`sum(case when ${end} > a.at then ${end} - a.at else 0 end)`.as('ms')])
    .groupBy(['u.id', 'u.name', 'u.time_zone'])
    .execute();
  return rows.map((r) => ({ userId: r.id, userName: r.name, timeZone: r.time_zone, acknowledgements: Number(r.n), acknowledgedMs: Number(r.ms ?? 0) }));
}
