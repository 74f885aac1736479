import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findService, findTeam } from '../lookups.js';
import type { Db } from '../../store/index.js';
import { IncidentReportAccumulator, type IncidentReport } from './build-report.js';
import { ReportFold, type FoldLookups, type IncidentAttributes } from './fold-report-facts.js';
import type { FollowUpRecordsSource } from './follow-up-completion.js';
import { reportFactsFor } from './report-day-cache.js';
import { DEFAULT_RANGE_MS, MAX_RANGE_MS, ReportInput } from './schemas.js';

interface Scope {
  from: number;
  to: number;
  serviceId: string | null;
  teamId: string | null;
  severity: readonly string[];
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/**
 * The incident report for a range and filters. Its facts (incidents detected in the range;
 * pages, acknowledgements and cadence outcomes in it) come from the day cache for whole settled
 * days and from the tables for the rest (report-day-cache.ts), and are folded into figures that
 * keep only durations and counts (fold-report-facts.ts). An empty range is an empty report.
 * `followUps` is the seam for post-mortem and action-item completion (not available when
 * absent); `dayCache: false` reads every fact from the tables (tests compare the two).
 */
export async function getIncidentReport({ ctx, input, followUps, dayCache = true }: { ctx: Ctx; input: unknown; followUps?: FollowUpRecordsSource; dayCache?: boolean }): Promise<IncidentReport> {
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

  const [lookups, teamServiceIds] = await loadLookups(db, scope);
  const acc = new IncidentReportAccumulator({ from, to, bucket: data.bucket, now });
  const [parts, followUpRecords] = await Promise.all([
    reportFactsFor(ctx.store, from, to, { cache: dayCache }),
    followUps ? followUps({ from, to }) : Promise.resolve(undefined),
  ]);
  const fold = new ReportFold({ serviceId: scope.serviceId, teamServiceIds, severity: scope.severity }, lookups);
  fold.addIncidents(parts, acc);
  const followUpCounts = followUpRecords && fold.followUps(followUpRecords, now);
  const others = await incidentAttributes(db, fold.missingIncidents(parts));
  const { onCall, acknowledged, cadence } = fold.foldEvents(parts, others, now);
  return acc.finish(onCall, { acknowledged, cadence, ...(followUpCounts ? { followUps: followUpCounts } : {}) });
}

/**
 * Services, teams, severity targets and people: small tables, looked up in memory instead of
 * joined per row (a year is hundreds of thousands of rows). With a team filter, also the
 * team's services.
 */
async function loadLookups(db: Db, scope: Scope): Promise<[FoldLookups, Set<string> | null]> {
  const [services, teams, severities, users] = await Promise.all([
    db.selectFrom('services').select(['id', 'slug', 'team_id']).execute(),
    db.selectFrom('teams').select(['id', 'slug']).execute(),
    db.selectFrom('severities').select(['key', 'ack_target_seconds', 'resolve_target_seconds', 'business_hours', 'postmortem_required', 'postmortem_due_seconds']).execute(),
    db.selectFrom('users').select(['id', 'name', 'time_zone']).execute(),
  ]);
  const teamSlug = new Map(teams.map((t) => [t.id, t.slug]));
  const lookups: FoldLookups = {
    services: new Map(services.map((s) => [s.id, { slug: s.slug, teamSlug: s.team_id === null ? null : (teamSlug.get(s.team_id) ?? null) }])),
    targets: new Map(severities.map((v) => [v.key, {
      ack: num(v.ack_target_seconds), resolve: num(v.resolve_target_seconds), businessHours: Number(v.business_hours ?? 0) === 1,
      postmortemRequired: Number(v.postmortem_required ?? 0) === 1, postmortemDueSeconds: num(v.postmortem_due_seconds ?? null),
    }])),
    users: new Map(users.map((u) => [u.id, { name: u.name, timeZone: u.time_zone }])),
  };
  const teamServiceIds = scope.teamId ? new Set(services.filter((s) => s.team_id === scope.teamId).map((s) => s.id)) : null;
  return [lookups, teamServiceIds];
}

/** The incidents events in the range belong to but that were detected before it (a long incident paged again, say). */
async function incidentAttributes(db: Db, numbers: readonly number[]): Promise<IncidentAttributes[]> {
  const out: IncidentAttributes[] = [];
  for (let i = 0; i < numbers.length; i += 500) {
    const rows = await db
      .selectFrom('incidents')
      .select(['number', 'severity', 'service_id', 'is_drill', 'resolved_at'])
      .where('number', 'in', numbers.slice(i, i + 500))
      .execute();
    for (const r of rows) out.push({ number: Number(r.number), severity: r.severity, serviceId: r.service_id, drill: Number(r.is_drill) === 1, resolvedAt: num(r.resolved_at) });
  }
  return out;
}
