import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findService, findTeam } from '../lookups.js';
import { buildIncidentReport, type IncidentReport, type IncidentRow } from './build-report.js';
import type { PageRow } from './on-call-load.js';
import { DEFAULT_RANGE_MS, MAX_RANGE_MS, ReportInput } from './schemas.js';

/**
 * The incident report for a range and filters: two queries (incidents detected in the range with
 * their severity targets and owning team; pages queued in the range), then pure figures. An empty
 * range is an empty report.
 */
export async function getIncidentReport({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentReport> {
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

  let incidents = db
    .selectFrom('incidents as i')
    .leftJoin('services as s', 's.id', 'i.service_id')
    .leftJoin('teams as t', 't.id', 's.team_id')
    .leftJoin('severities as v', 'v.key', 'i.severity')
    .select([
      'i.id', 'i.number', 'i.severity', 'i.is_drill', 'i.detected_at', 'i.declared_at', 'i.acknowledged_at', 'i.mitigated_at', 'i.resolved_at',
      's.slug as service_slug', 't.slug as team_slug', 'v.ack_target_seconds', 'v.resolve_target_seconds',
    ])
    .where('i.detected_at', '>=', from)
    .where('i.detected_at', '<', to);
  if (service) incidents = incidents.where('i.service_id', '=', service.id);
  if (team) incidents = incidents.where('s.team_id', '=', team.id);
  if (data.severity.length) incidents = incidents.where('i.severity', 'in', data.severity);

  const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
  const rows: IncidentRow[] = (await incidents.execute()).map((r) => ({
    id: r.id, number: Number(r.number), severity: r.severity, serviceSlug: r.service_slug, teamSlug: r.team_slug, isDrill: Number(r.is_drill) === 1,
    detectedAt: Number(r.detected_at), declaredAt: Number(r.declared_at),
    acknowledgedAt: num(r.acknowledged_at), mitigatedAt: num(r.mitigated_at), resolvedAt: num(r.resolved_at),
    ackTargetSeconds: num(r.ack_target_seconds), resolveTargetSeconds: num(r.resolve_target_seconds),
  }));

  // One page = one person, one incident, one escalation step, however many contact methods.
  let pages = db
    .selectFrom('deliveries as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .innerJoin('incidents as i', 'i.id', 'd.incident_id')
    .leftJoin('services as s', 's.id', 'i.service_id')
    .select((eb) => ['d.user_id', 'u.name', 'u.time_zone', 'd.incident_id', 'i.is_drill', eb.fn.min('d.created_at').as('at')])
    .where('d.purpose', '=', 'page')
    .where('d.created_at', '>=', from)
    .where('d.created_at', '<', to)
    .groupBy(['d.user_id', 'u.name', 'u.time_zone', 'd.incident_id', 'i.is_drill', 'd.action_key']);
  if (service) pages = pages.where('i.service_id', '=', service.id);
  if (team) pages = pages.where('s.team_id', '=', team.id);
  if (data.severity.length) pages = pages.where('i.severity', 'in', data.severity);
  const pageRows: PageRow[] = (await pages.execute()).map((p) => ({
    userId: p.user_id!, userName: p.name, timeZone: p.time_zone, incidentId: p.incident_id!, isDrill: Number(p.is_drill) === 1, at: Number(p.at),
  }));

  return buildIncidentReport(rows, pageRows, { from, to, bucket: data.bucket, now });
}
