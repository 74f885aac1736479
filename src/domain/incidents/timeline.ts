import { actorId } from '../../core/actor.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';

export type TimelineKind =
  | 'declared' | 'status_changed' | 'severity_changed' | 'note' | 'role_assigned' | 'role_unassigned'
  | 'handoff' | 'task_added' | 'task_completed' | 'task_reopened' | 'title_changed' | 'summary_changed'
  | 'service_changed'
  /** A PagerDuty change event (deploy, config change) on the incident's service. */
  | 'change'
  /** Alerts that joined a storm incident (alerts/plan-alert-batch.ts, storm guard). */
  | 'alert_storm'
  /** What a sender said on an alert of the incident: Opsgenie notes, the note and user of an acknowledge or close. */
  | 'alert_note';

/**
 * Append-only: written in the same transaction as the change it describes, never updated. The
 * incident's `updated_at` moves to the event's time, unless the caller knows it is there already
 * (`touchIncident: false`, with the `at` it wrote): one statement fewer on the paths that open
 * an incident, where each is a round trip on PostgreSQL.
 */
export async function appendTimeline(
  ctx: Ctx,
  tx: Tx,
  incidentId: string,
  kind: TimelineKind | (string & {}),
  body: string,
  data: Record<string, unknown> = {},
  options: { at?: number; touchIncident?: boolean } = {},
): Promise<string> {
  const at = options.at ?? ctx.clock.now();
  const id = newId('evt', at);
  await tx
    .insertInto('timeline_events')
    .values({
      id,
      incident_id: incidentId,
      at,
      kind,
      actor_type: ctx.actor.type,
      actor_id: actorId(ctx.actor),
      actor_name: ctx.actor.name,
      body,
      data: JSON.stringify(data),
    })
    .execute();
  if (options.touchIncident !== false) await tx.updateTable('incidents').set({ updated_at: at }).where('id', '=', incidentId).execute();
  return id;
}
