import { conflict } from '../../core/errors.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { runIncidentHooks } from '../incidents/hooks.js';
import { lifecycleTimesAfter, transition, type IncidentStatus, type StatusEvent } from '../incidents/status.js';
import { appendTimeline } from '../incidents/timeline.js';
import { applyChecklistTemplates } from '../tasks/apply-checklists.js';
import type { IncidentToOpen } from './plan-alert-batch.js';

/**
 * What alerts do to incidents, inside the ingest batch's transaction. Each goes through the
 * incident hooks exactly like a human's change, so paging starts (and stops) the same way.
 */

export async function openIncidentFromAlerts(ctx: Ctx, tx: Tx, spec: IncidentToOpen, severity: string, serviceSlug: string | null): Promise<void> {
  const now = ctx.clock.now();
  const counter = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'incident_number')
    .returning('value')
    .executeTakeFirstOrThrow();
  const title = spec.title.length > 200 ? `${spec.title.slice(0, 199)}…` : spec.title;
  await tx
    .insertInto('incidents')
    .values({
      id: spec.id, number: counter.value, title, summary: '', severity, status: 'triggered', service_id: spec.serviceId,
      is_drill: 0, created_by: null, detected_at: spec.detectedAt, declared_at: now, acknowledged_at: null,
      mitigated_at: null, resolved_at: null, updated_at: now, version: 1,
    })
    .execute();
  await appendTimeline(ctx, tx, spec.id, 'declared', `Opened from ${spec.alertIds.length === 1 ? 'an alert' : `${spec.alertIds.length} alerts`}: ${title}`, {
    severity, service: serviceSlug, source: 'alerts', integration: spec.integrationId, alerts: spec.alertIds.slice(0, 50), group: spec.groupId,
  });
  await applyChecklistTemplates(ctx, tx, spec.id, severity);
  await runIncidentHooks(ctx, tx, { type: 'opened', incident: await findIncidentRow(tx, spec.id) });
}

/**
 * Moves an incident because of its alerts. Skips quietly when the incident is already past the
 * move (a human resolved it first): the alert's state was still recorded.
 */
export async function moveIncidentForAlerts(ctx: Ctx, tx: Tx, incidentId: string, event: StatusEvent, body: string): Promise<boolean> {
  const row = await findIncidentRow(tx, incidentId);
  const current = row.status as IncidentStatus;
  let move;
  try {
    move = transition(current, event);
  } catch {
    return false;
  }
  const now = ctx.clock.now();
  const times = lifecycleTimesAfter(move.to, event, row, now);
  const updated = await tx
    .updateTable('incidents')
    .set({ status: move.to, ...times, updated_at: now, version: row.version + 1 })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw conflict(`incident #${row.number} changed concurrently`);
  await appendTimeline(ctx, tx, row.id, 'status_changed', body, { from: current, to: move.to, event, source: 'alerts' });
  await runIncidentHooks(ctx, tx, { type: 'status_changed', incident: await findIncidentRow(tx, row.id), from: current, to: move.to });
  return true;
}
