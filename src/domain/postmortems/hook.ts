import type { IncidentHook } from '../incidents/hooks.js';
import { scheduleDueReminder } from './due-reminder.js';
import { postmortemOfIncident } from './postmortem-view.js';

/**
 * In the transaction of the incident's change: re-opening clears `closed_at` (the incident is
 * live again, closing comes after the next resolution); resolving an incident whose post-mortem
 * has no due date yet gives it the severity's one, with its reminder.
 */
export const postmortemsIncidentHook: IncidentHook = async (ctx, tx, change) => {
  if (change.type !== 'status_changed') return;
  if (change.from === 'resolved' && change.to !== 'resolved') {
    await tx.updateTable('incidents').set({ closed_at: null }).where('id', '=', change.incident.id).execute();
    return;
  }
  if (change.to !== 'resolved') return;
  const pm = await postmortemOfIncident(tx, change.incident.id);
  if (!pm || pm.due_at !== null || pm.status === 'published') return;
  const severity = await tx.selectFrom('severities').select('postmortem_due_seconds').where('key', '=', change.incident.severity).executeTakeFirst();
  if (!severity?.postmortem_due_seconds) return;
  const dueAt = ctx.clock.now() + Number(severity.postmortem_due_seconds) * 1000;
  await tx.updateTable('postmortems').set({ due_at: dueAt }).where('id', '=', pm.id).execute();
  await scheduleDueReminder(ctx, tx, pm.id, dueAt);
};
