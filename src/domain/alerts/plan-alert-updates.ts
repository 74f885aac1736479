import type { AlertChange, AlertDecision, AlertPlan, PlanState } from './plan-alert-batch.js';
import { alertKey, decision } from './plan-rules.js';
import type { AlertUpdate } from './signal.js';

/**
 * One update of an alert's text or one note (Opsgenie's message, description and notes), planned
 * against the batch's working state: the text goes on the open alert, the note on its incident's
 * timeline. A note on a key with no open alert goes to the incident of the last alert resolved
 * with the key, as Opsgenie takes a note on a closed alert; a text change there changes nothing.
 */
export function planAlertUpdate(
  update: AlertUpdate,
  integrationId: string,
  state: Pick<PlanState, 'openAlerts' | 'closedAlerts'>,
  notes: AlertPlan['incidentNotes'],
  change: (id: string, patch: Omit<AlertChange, 'id'>) => void,
  now: number,
): AlertDecision {
  const existing = update.lookup === 'dedup-key' ? state.openAlerts.get(alertKey(integrationId, update.dedupKey)) : [...state.openAlerts.values()].find((a) => a.id === update.dedupKey && a.integrationId === integrationId);
  if (!existing) {
    const closed = update.note && update.lookup === 'dedup-key' ? state.closedAlerts.get(alertKey(integrationId, update.dedupKey)) : undefined;
    if (closed?.incidentId && update.note) {
      // A note after the close still belongs on the record (what was found, what was done).
      notes.push({ incidentId: closed.incidentId, alertId: closed.id, note: update.note });
      return decision('updated', update.dedupKey, `note added to the incident timeline (the alert is resolved${update.summary !== null || update.description !== null ? '; its text is not changed' : ''})`, { alertId: closed.id, incidentId: closed.incidentId });
    }
    return decision('no-open-alert', update.dedupKey, closed ? 'the alert is resolved and has no incident to write the note on; nothing changed' : 'no open alert with this key to update; nothing changed');
  }
  if (update.note) {
    if (existing.incidentId) notes.push({ incidentId: existing.incidentId, alertId: existing.id, note: update.note });
    if (update.summary === null && update.description === null) {
      return decision('updated', update.dedupKey, existing.incidentId ? 'note added to the incident timeline' : 'note received; the alert has no incident to write it on', { alertId: existing.id, incidentId: existing.incidentId });
    }
  }
  const patch: Omit<AlertChange, 'id'> = { lastSeenAt: now };
  if (update.summary !== null) {
    patch.summary = update.summary;
    existing.summary = update.summary;
  }
  if (update.description !== null) patch.description = update.description;
  change(existing.id, patch);
  return decision('updated', update.dedupKey, 'alert text updated', { alertId: existing.id, incidentId: existing.incidentId });
}
