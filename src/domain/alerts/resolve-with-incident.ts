import type { IncidentHook } from '../incidents/hooks.js';
import { appendTimeline } from '../incidents/timeline.js';

/**
 * PagerDuty's semantics: resolving an incident resolves its alerts. Otherwise an alert that
 * still fires stays open behind a resolved incident, every repeat of it is recorded as a
 * duplicate, and nobody is paged again. Resolved, the next firing notification is a new alert:
 * it opens a new incident (or joins a live one) and pages. The alert groups of the incident
 * close with it, so that new alert starts a group of its own.
 *
 * An incident resolved by its alerts (auto-resolve, expiry) finds none left open here.
 * Attached as an incident hook, so the incidents module knows nothing of alerts.
 */
export const resolveAlertsWithIncident: IncidentHook = async (ctx, tx, change) => {
  if (change.type !== 'status_changed' || change.to !== 'resolved') return;
  const incidentId = change.incident.id;
  const now = ctx.clock.now();
  const resolved = await tx
    .updateTable('alerts')
    .set({ status: 'resolved', resolved_at: now })
    .where('incident_id', '=', incidentId)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
  await tx
    .updateTable('alert_groups')
    .set({ state: 'closed', open_alerts: 0, updated_at: now })
    .where('incident_id', '=', incidentId)
    .where('state', '<>', 'closed')
    .execute();
  const count = Number(resolved.numUpdatedRows);
  if (count === 0) return;
  await appendTimeline(
    ctx, tx, incidentId, 'alerts_resolved',
    `Resolved with the incident: ${count === 1 ? 'its open alert' : `its ${count} open alerts`}. If ${count === 1 ? 'it still fires' : 'they still fire'}, the next notification opens a new incident.`,
    { alerts: count },
  );
};
