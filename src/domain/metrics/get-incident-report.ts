import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findService, findTeam } from '../lookups.js';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { ackEvent, cadenceEvent, handoffEvent, pageDelivery } from '../../store/report-predicates.js';
import type { Db } from '../../store/index.js';
import { IncidentReportAccumulator, type IncidentReport, type IncidentRow } from './build-report.js';
import type { CadenceCountRow } from './cadence-adherence.js';
import type { FollowUpCountsSource } from './follow-up-completion.js';
import type { AcknowledgedTimeRow } from './on-call-load.js';
import type { PageRow } from './on-call-load.js';
import { DEFAULT_RANGE_MS, MAX_RANGE_MS, ReportInput } from './schemas.js';

/** Incidents are read in keyset chunks of this many rows, each folded into the figures and dropped. */
const CHUNK = 20_000;

interface Scope {
  from: number;
  to: number;
  serviceId: string | null;
  teamId: string | null;
  severity: readonly string[];
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/**
 * The incident report for a range and filters. Incidents detected in the range are streamed in
 * chunks (ordered by detection time and id) into an accumulator that keeps only their durations,
 * so memory follows the number of groups and values, not rows; pages, acknowledgement time and
 * cadence adherence are aggregated in SQL. An empty range is an empty report. `followUps` is the
 * seam for post-mortem and action-item completion (not available when absent).
 */
export async function getIncidentReport({ ctx, input, followUps }: { ctx: Ctx; input: unknown; followUps?: FollowUpCountsSource }): Promise<IncidentReport> {
  authorize(ctx.actor, 'read');
  const data = parseInput(ReportInput, input);
  const now = ctx.clock.now();
  const to = data.to ?? now;
  const from = data.from ?? to - DEFAULT_RANGE_MS;
  if (from >= to) throw validation(data.from === undefined ? 'to' : 'from', 'must be before to');
  if (to - from > MAX_RANGE_MS) throw validation('from', 'the range may span at most 5 years');
  const db = ctx.store.db;
  const service = data.service ? await findService(db, data.service).catch(asFieldError('service')) : null;
  const team = data.team ? await findTeam(db, data.team).catch(asFieldError('team')) : null;
  const scope: Scope = { from, to, serviceId: service?.id ?? null, teamId: team?.id ?? null, severity: data.severity };

  const acc = new IncidentReportAccumulator({ from, to, bucket: data.bucket, now });
  await streamIncidents(db, scope, (row) => acc.add(row));
  const [pages, acknowledged, cadence, followUpCounts] = await Promise.all([
    loadPages(db, scope),
    loadAcknowledgedTime(db, scope, now),
    loadCadence(db, scope),
    followUps ? followUps({ ...scope, now }) : Promise.resolve(undefined),
  ]);
  return acc.finish(pages, { acknowledged, cadence, ...(followUpCounts ? { followUps: followUpCounts } : {}) });
}

/**
 * Incidents detected in the range, in (detected_at, id) order from the covering index
 * incidents_report, one chunk at a time. Services, teams and severity targets (small tables)
 * are looked up in memory instead of joined per row: a year is hundreds of thousands of rows
 * and each joined column costs on every one of them.
 */
async function streamIncidents(db: Db, scope: Scope, add: (row: IncidentRow) => void): Promise<void> {
  const [services, teams, severities] = await Promise.all([
    db.selectFrom('services').select(['id', 'slug', 'team_id']).execute(),
    db.selectFrom('teams').select(['id', 'slug']).execute(),
    db.selectFrom('severities').select(['key', 'ack_target_seconds', 'resolve_target_seconds', 'business_hours']).execute(),
  ]);
  const teamSlug = new Map(teams.map((t) => [t.id, t.slug]));
  const serviceOf = new Map(services.map((s) => [s.id, { slug: s.slug, teamSlug: s.team_id === null ? null : (teamSlug.get(s.team_id) ?? null), teamId: s.team_id }]));
  const targetsOf = new Map(severities.map((v) => [v.key, { ack: num(v.ack_target_seconds), resolve: num(v.resolve_target_seconds), businessHours: Number(v.business_hours ?? 0) === 1 }]));
  const teamServices = scope.teamId ? services.filter((s) => s.team_id === scope.teamId).map((s) => s.id) : null;
  if (teamServices && teamServices.length === 0) return;
  let after: { at: number; id: string } | null = null;
  for (;;) {
    let q = db
      .selectFrom('incidents as i')
      .select(['i.id', 'i.number', 'i.severity', 'i.service_id', 'i.is_drill', 'i.detected_at', 'i.declared_at', 'i.acknowledged_at', 'i.mitigated_at', 'i.resolved_at'])
      .where('i.detected_at', '>=', scope.from)
      .where('i.detected_at', '<', scope.to);
    if (scope.serviceId) q = q.where('i.service_id', '=', scope.serviceId);
    if (teamServices) q = q.where('i.service_id', 'in', teamServices);
    if (scope.severity.length) q = q.where('i.severity', 'in', scope.severity);
    // A row-value comparison both databases turn into one index range (an OR of two terms was a scan per chunk on SQLite).
    if (after) q = q.where(sql<boolean>`(i.detected_at, i.id) > (${after.at}, ${after.id})`);
    const rows = await q.orderBy('i.detected_at').orderBy('i.id').limit(CHUNK).execute();
    for (const r of rows) {
      const service = r.service_id === null ? undefined : serviceOf.get(r.service_id);
      const targets = targetsOf.get(r.severity);
      add({
        id: r.id, number: Number(r.number), severity: r.severity, serviceSlug: service?.slug ?? null, teamSlug: service?.teamSlug ?? null, isDrill: Number(r.is_drill) === 1,
        detectedAt: Number(r.detected_at), declaredAt: Number(r.declared_at),
        acknowledgedAt: num(r.acknowledged_at), mitigatedAt: num(r.mitigated_at), resolvedAt: num(r.resolved_at),
        ackTargetSeconds: targets?.ack ?? null, resolveTargetSeconds: targets?.resolve ?? null, businessHours: targets?.businessHours ?? false,
      });
    }
    if (rows.length < CHUNK) return;
    const last = rows[rows.length - 1]!;
    after = { at: Number(last.detected_at), id: last.id };
  }
}

/** One page = one person, one incident, one escalation step, however many contact methods. */
async function loadPages(db: Db, scope: Scope): Promise<PageRow[]> {
  // Read from the partial index deliveries_pages and incidents_report_by_id alone; the people
  // (a handful of rows for hundreds of thousands of pages) are looked up after grouping.
  let pages = db
    .selectFrom('deliveries as d')
    .innerJoin('incidents as i', 'i.id', 'd.incident_id')
    .select((eb) => ['d.user_id', 'd.incident_id', 'i.is_drill', eb.fn.min('d.created_at').as('at')])
    .where(pageDelivery('d'))
    .where('d.created_at', '>=', scope.from)
    .where('d.created_at', '<', scope.to)
    .groupBy(['d.user_id', 'd.incident_id', 'i.is_drill', 'd.action_key']);
  if (scope.serviceId) pages = pages.where('i.service_id', '=', scope.serviceId);
  if (scope.teamId) pages = pages.where('i.service_id', 'in', (eb) => eb.selectFrom('services').select('id').where('team_id', '=', scope.teamId));
  if (scope.severity.length) pages = pages.where('i.severity', 'in', scope.severity);
  const rows = await pages.execute();
  const userIds = [...new Set(rows.map((r) => r.user_id).filter((id): id is string => id !== null))];
  const users = new Map<string, { name: string; time_zone: string }>();
  for (let i = 0; i < userIds.length; i += 500) {
    for (const u of await db.selectFrom('users').select(['id', 'name', 'time_zone']).where('id', 'in', userIds.slice(i, i + 500)).execute()) users.set(u.id, u);
  }
  const out: PageRow[] = [];
  for (const p of rows) {
    const user = p.user_id === null ? undefined : users.get(p.user_id);
    if (!user) continue; // as the inner join with users did: a page to no (longer existing) user counts for no one
    out.push({ userId: p.user_id!, userName: user.name, timeZone: user.time_zone, incidentId: p.incident_id!, isDrill: Number(p.is_drill) === 1, at: Number(p.at) });
  }
  return out;
}

/** Timeline events matching `events` (a partial index's condition) in the range on non-drill incidents matching the filters. */
function eventsInScope(db: Db, scope: Scope, events: RawBuilder<SqlBool>) {
  let q = db
    .selectFrom('timeline_events as te')
    .innerJoin('incidents as i', 'i.id', 'te.incident_id')
    .where(events)
    .where('te.at', '>=', scope.from)
    .where('te.at', '<', scope.to)
    .where('i.is_drill', '=', 0);
  if (scope.serviceId) q = q.where('i.service_id', '=', scope.serviceId);
  if (scope.teamId) q = q.where('i.service_id', 'in', (eb) => eb.selectFrom('services').select('id').where('team_id', '=', scope.teamId));
  if (scope.severity.length) q = q.where('i.severity', 'in', scope.severity);
  return q;
}

async function loadCadence(db: Db, scope: Scope): Promise<CadenceCountRow[]> {
  const rows = await eventsInScope(db, scope, cadenceEvent('te'))
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
  const acks = eventsInScope(db, scope, ackEvent('te'))
    .where('te.actor_type', 'in', ['user', 'apiKey'])
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
        .where(handoffEvent('h'))
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
