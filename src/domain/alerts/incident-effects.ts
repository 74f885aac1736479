import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { applyStatusEvent } from '../incidents/change-incident-status.js';
import { openIncident } from '../incidents/open-incident.js';
import { cutTitle } from './group-title.js';
import { transition, type IncidentStatus, type StatusEvent } from '../incidents/status.js';
import { appendTimeline } from '../incidents/timeline.js';
import type { AlertPlan, IncidentToOpen } from './plan-alert-batch.js';

/**
 * What alerts do to incidents, inside the ingest batch's transaction. Each goes through the
 * incident hooks exactly like a human's change, so paging starts (and stops) the same way.
 */

const DRILL_SUMMARY = '**DRILL** — a rehearsal opened by a synthetic alert. Nothing is broken. Follow the runbook as if it were real; times are scored against its targets.';

export async function openIncidentFromAlerts(ctx: Ctx, tx: Tx, spec: IncidentToOpen, severity: string, serviceSlug: string | null): Promise<void> {
  const title = cutTitle(spec.title);
  await openIncident(ctx, tx, {
    id: spec.id, title, summary: spec.isDrill ? DRILL_SUMMARY : '', severity, serviceId: spec.serviceId, detectedAt: spec.detectedAt, isDrill: spec.isDrill,
    ...(spec.escalationPolicy ? { escalationPolicy: { id: spec.escalationPolicy.policyId, reason: `routing rule ${spec.escalationPolicy.ruleName} (${spec.escalationPolicy.ruleId}) matched the alert` } } : {}),
    declaredBody: spec.storm ? stormBody(spec) : `Opened from ${spec.alertIds.length === 1 ? 'an alert' : `${spec.alertIds.length} alerts`}: ${title}`,
    declaredData: {
      severity, service: serviceSlug, source: 'alerts', ...(spec.isDrill ? { isDrill: true } : {}), integration: spec.integrationId, alerts: spec.alertIds.slice(0, 50), group: spec.groupId,
      ...(spec.storm ? { storm: { ...spec.storm, alerts: spec.alertIds.length } } : {}),
    },
  });
}

function stormBody(spec: IncidentToOpen): string {
  const { maxIncidents, withinMinutes } = spec.storm!;
  return `Alert storm: this integration opened more than ${maxIncidents} incidents within ${withinMinutes} min. `
    + `New alerts from it now join this incident instead of each opening and paging its own; this incident is paged once. `
    + `${spec.alertIds.length} ${spec.alertIds.length === 1 ? 'alert' : 'alerts'} joined so far; the timeline counts the ones that follow.`;
}

/**
 * Moves an incident because of its alerts. Skips quietly when the incident is already past the
 * move (a human resolved it first): the alert's state was still recorded.
 */
export async function moveIncidentForAlerts(ctx: Ctx, tx: Tx, incidentId: string, event: StatusEvent, body: string): Promise<boolean> {
  const row = await findIncidentRow(tx, incidentId);
  try {
    transition(row.status as IncidentStatus, event);
  } catch {
    return false;
  }
  await applyStatusEvent(ctx, tx, row, event, { body, data: { source: 'alerts' } });
  return true;
}

/**
 * More alerts joined a group: its incident is renamed to name the group, only while it still
 * has the title the group last gave it (a human's title stays). Quiet: no timeline entry per
 * batch of alerts; the version moves, so an edit made on the old title is a conflict.
 */
export async function renameGroupIncident(ctx: Ctx, tx: Tx, rename: AlertPlan['incidentTitles'][number]): Promise<void> {
  const to = cutTitle(rename.to);
  await tx
    .updateTable('incidents')
    .set((eb) => ({ title: to, updated_at: ctx.clock.now(), version: eb('version', '+', 1) }))
    .where('id', '=', rename.incidentId)
    .where('title', '=', cutTitle(rename.from))
    .execute();
  await tx.updateTable('alert_groups').set({ title: to }).where('id', '=', rename.groupId).execute();
}

/** What a sender said on one of the incident's alerts (Opsgenie `note` and `user`), on its timeline. */
export async function appendSenderNote(ctx: Ctx, tx: Tx, entry: AlertPlan['incidentNotes'][number]): Promise<void> {
  const { note } = entry;
  const verb = note.action === 'acknowledge' ? 'acknowledged the alert' : note.action === 'close' ? 'closed the alert' : 'added a note to the alert';
  const who = note.user ?? 'The sender';
  const body = note.text ? `${who} ${verb}: ${note.text}` : `${who} ${verb}`;
  await appendTimeline(ctx, tx, entry.incidentId, 'alert_note', body, { source: 'alerts', alert: entry.alertId, action: note.action, user: note.user, note: note.text });
}
