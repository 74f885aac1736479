import { sql } from 'kysely';
import type { Db } from '../../store/index.js';
import type { CompletionCounts, FollowUpCountsSource, FollowUpFilter } from '../metrics/follow-up-completion.js';

/**
 * Post-mortem and action-item completion for the incident report, over the incidents the report
 * covers (detected in the range, its service, team and severity filters, drills left out):
 * - post-mortems: incidents resolved whose severity requires one; completed when a published
 *   post-mortem covers them; overdue when not, and the post-mortem's due date (or, with none
 *   written yet, resolution + the severity's due offset) has passed;
 * - action items: every item of those incidents but the ones closed as "won't do"; completed when
 *   done; overdue when open past its due date.
 */
export function followUpCounts(db: Db): FollowUpCountsSource {
  return async (filter) => {
    const [postMortems, actionItems] = await Promise.all([postmortemCounts(db, filter), actionItemCounts(db, filter)]);
    return { postMortems, actionItems };
  };
}

function scopedIncidents(db: Db, filter: FollowUpFilter) {
  let q = db.selectFrom('incidents')
    .where('incidents.detected_at', '>=', filter.from)
    .where('incidents.detected_at', '<', filter.to)
    .where('incidents.is_drill', '=', 0);
  if (filter.serviceId) q = q.where('incidents.service_id', '=', filter.serviceId);
  if (filter.teamId) q = q.where('incidents.service_id', 'in', db.selectFrom('services').select('id').where('team_id', '=', filter.teamId));
  if (filter.severity.length > 0) q = q.where('incidents.severity', 'in', [...filter.severity]);
  return q;
}

/** Counts are summed in the database: a year of a large history is tens of thousands of incidents needing a post-mortem. */
const count = (v: number | string | bigint | null | undefined): number => Number(v ?? 0);

async function postmortemCounts(db: Db, filter: FollowUpFilter): Promise<CompletionCounts> {
  // Due: the post-mortem's own due date, else (none written yet, or none given) resolution + the severity's due offset.
  const due = sql<number | null>`coalesce(postmortems.due_at, incidents.resolved_at + severities.postmortem_due_seconds * 1000)`;
  const published = sql<boolean>`postmortems.status = 'published'`;
  const row = await scopedIncidents(db, filter)
    .innerJoin('severities', 'severities.key', 'incidents.severity')
    .leftJoin('postmortem_incidents', 'postmortem_incidents.incident_id', 'incidents.id')
    .leftJoin('postmortems', 'postmortems.id', 'postmortem_incidents.postmortem_id')
    .where('severities.postmortem_required', '=', 1)
    .where('incidents.status', '=', 'resolved')
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`sum(case when ${published} then 1 else 0 end)`.as('completed'),
      sql<number>`sum(case when ${published} then 0 when ${due} < ${filter.now} then 1 else 0 end)`.as('overdue'),
    ])
    .executeTakeFirst();
  return { total: count(row?.total), completed: count(row?.completed), overdue: count(row?.overdue) };
}

async function actionItemCounts(db: Db, filter: FollowUpFilter): Promise<CompletionCounts> {
  const row = await scopedIncidents(db, filter)
    .innerJoin('action_items', 'action_items.incident_id', 'incidents.id')
    .where('action_items.status', '<>', 'wont_do')
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`sum(case when action_items.status = 'done' then 1 else 0 end)`.as('completed'),
      sql<number>`sum(case when action_items.status <> 'done' and action_items.due_at < ${filter.now} then 1 else 0 end)`.as('overdue'),
    ])
    .executeTakeFirst();
  return { total: count(row?.total), completed: count(row?.completed), overdue: count(row?.overdue) };
}
