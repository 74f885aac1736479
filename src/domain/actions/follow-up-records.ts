import type { Db } from '../../store/index.js';
import type { FollowUpRecords, FollowUpRecordsSource } from '../metrics/follow-up-completion.js';

/**
 * The post-mortems and action items of the incidents detected in a range, for the incident
 * report's completion figures: the report itself knows which of those incidents it covers and
 * which need a post-mortem (it counts them in fold-report-facts.ts). Both lists are read from
 * their own (small) tables joined to each incident by its key, so a year of a large history
 * costs what was written about it, not a scan of its incidents. The joins are written as cross
 * joins because SQLite then keeps that order (PostgreSQL plans them as it likes): left to its
 * statistics, SQLite would walk the year's incidents and look for follow-ups of each.
 */
export function followUpRecords(db: Db): FollowUpRecordsSource {
  return async ({ from, to }) => {
    const [postMortems, actionItems] = await Promise.all([
      db.selectFrom('postmortem_incidents as pi')
        .crossJoin('incidents as i')
        .crossJoin('postmortems as p')
        .whereRef('i.id', '=', 'pi.incident_id')
        .whereRef('p.id', '=', 'pi.postmortem_id')
        .where('i.detected_at', '>=', from)
        .where('i.detected_at', '<', to)
        .select(['i.number', 'p.status', 'p.due_at'])
        .execute(),
      db.selectFrom('action_items as a')
        .crossJoin('incidents as i')
        .whereRef('i.id', '=', 'a.incident_id')
        .where('i.detected_at', '>=', from)
        .where('i.detected_at', '<', to)
        .where('a.status', '<>', 'wont_do')
        .select(['i.number', 'a.status', 'a.due_at'])
        .execute(),
    ]);
    const records: FollowUpRecords = {
      postMortems: postMortems.map((r) => ({ incident: Number(r.number), status: r.status, dueAt: r.due_at === null ? null : Number(r.due_at) })),
      actionItems: actionItems.map((r) => ({ incident: Number(r.number), status: r.status, dueAt: Number(r.due_at) })),
    };
    return records;
  };
}
