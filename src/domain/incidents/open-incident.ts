import { actorId } from '../../core/actor.js';
import type { Tx } from '../../store/index.js';
import type { IncidentTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { applyChecklistTemplates } from '../tasks/apply-checklists.js';
import { runIncidentHooks } from './hooks.js';
import { findIncidentRow } from './incident-view.js';
import { appendTimeline } from './timeline.js';

export interface NewIncident {
  id: string;
  title: string;
  summary: string;
  /** A key of the severity scheme, already checked by the caller. */
  severity: string;
  serviceId: string | null;
  detectedAt: number;
  isDrill: boolean;
  /** The `declared` timeline event: how the incident came to be. */
  declaredBody: string;
  declaredData: Record<string, unknown>;
  /** A policy chosen for this incident ahead of its service's and severity's (a routing rule's), and why. */
  escalationPolicy?: { id: string; reason: string };
}

/**
 * Every way an incident opens (by hand, from alerts, as a drill) goes through here, inside the
 * caller's transaction: the next number, the row, the `declared` event, the severity's
 * checklists, and the hooks that start paging and attach runbooks.
 */
export async function openIncident(ctx: Ctx, tx: Tx, spec: NewIncident): Promise<IncidentTable> {
  const now = ctx.clock.now();
  // One counter row for incident numbers: its row lock serialises instances on PostgreSQL.
  const counter = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'incident_number')
    .returning('value')
    .executeTakeFirstOrThrow();
  const inserted = await tx
    .insertInto('incidents')
    .values({
      id: spec.id,
      number: counter.value,
      title: spec.title,
      summary: spec.summary,
      severity: spec.severity,
      status: 'triggered',
      service_id: spec.serviceId,
      is_drill: spec.isDrill ? 1 : 0,
      created_by: actorId(ctx.actor),
      detected_at: spec.detectedAt,
      declared_at: now,
      acknowledged_at: null,
      mitigated_at: null,
      resolved_at: null,
      updated_at: now,
      version: 1,
      escalation_policy_id: spec.escalationPolicy?.id ?? null,
      escalation_policy_reason: spec.escalationPolicy?.reason ?? null,
      assignee_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // The row was just written with updated_at = now: the event need not move it.
  await appendTimeline(ctx, tx, spec.id, 'declared', spec.declaredBody, spec.declaredData, { at: now, touchIncident: false });
  const checklistItems = await applyChecklistTemplates(ctx, tx, spec.id, spec.severity);
  // A checklist's timeline event may have moved updated_at: only then read the row again.
  const created = checklistItems > 0 ? await findIncidentRow(tx, spec.id) : inserted;
  await runIncidentHooks(ctx, tx, { type: 'opened', incident: created });
  return created;
}
