import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { openItemsOnService } from '../actions/list-action-items.js';
import type { ActionItemView } from '../actions/action-item-view.js';
import type { Ctx } from '../context.js';
import { evaluateIncidentTargets, type IncidentTargets } from '../metrics/incident-targets.js';
import { findIncidentRow, toIncidentView, toTaskView, toTimelineView, type IncidentView, type TaskView, type TimelineEventView } from './incident-view.js';
import { IncidentRef, ListTimelineInput } from './schemas.js';

/**
 * One incident with its tasks and where it stands against its severity's acknowledge and resolve
 * targets (docs/metrics.md), judged at the clock's now.
 */
export async function getIncident({ ctx, input }: { ctx: Ctx; input: { incident: unknown } }): Promise<IncidentView & { tasks: TaskView[]; targets: IncidentTargets; openActionItems: ActionItemView[] }> {
  authorize(ctx.actor, 'read');
  const ref = parseInput(IncidentRef, input.incident, 'incident');
  const row = await findIncidentRow(ctx.store.db, ref);
  const [tasks, severity, openActionItems] = await Promise.all([
    ctx.store.db.selectFrom('tasks').selectAll().where('incident_id', '=', row.id).orderBy('position').execute(),
    ctx.store.db.selectFrom('severities').select(['ack_target_seconds', 'resolve_target_seconds', 'business_hours']).where('key', '=', row.severity).executeTakeFirst(),
    // Open action items from earlier incidents on this service (docs/action-items.md).
    openItemsOnService(ctx, row),
  ]);
  const seconds = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  const targets = evaluateIncidentTargets(
    { detectedAt: Number(row.detected_at), acknowledgedAt: seconds(row.acknowledged_at), resolvedAt: seconds(row.resolved_at) },
    { ackTargetSeconds: seconds(severity?.ack_target_seconds), resolveTargetSeconds: seconds(severity?.resolve_target_seconds), businessHours: Number(severity?.business_hours ?? 0) === 1 },
    ctx.clock.now(),
  );
  return { ...(await toIncidentView(ctx.store.db, row)), tasks: tasks.map(toTaskView), targets, openActionItems };
}

/** Timeline in order of writing. `after` returns only newer events, for live updates. */
export async function listTimeline({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<TimelineEventView[]> {
  authorize(ctx.actor, 'read');
  const data = parseInput(ListTimelineInput, input);
  const row = await findIncidentRow(ctx.store.db, data.incident);
  let query = ctx.store.db.selectFrom('timeline_events').selectAll().where('incident_id', '=', row.id);
  if (data.after) query = query.where('id', '>', data.after);
  const rows = await query.orderBy('id').limit(data.limit).execute();
  return rows.map(toTimelineView);
}
