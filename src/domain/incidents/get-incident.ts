import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { openItemsOnService } from '../actions/list-action-items.js';
import type { ActionItemView } from '../actions/action-item-view.js';
import type { Ctx } from '../context.js';
import { evaluateIncidentTargets, type IncidentTargets } from '../metrics/incident-targets.js';
import { parseStoredSnapshot } from '../paging/escalation-store.js';
import { parseEscalationState } from '../escalation/index.js';
import { findIncidentRow, toIncidentView, toTaskView, toTimelineView, type IncidentView, type TaskView, type TimelineEventView } from './incident-view.js';
import { IncidentRef, ListTimelineInput } from './schemas.js';

/**
 * One incident with its tasks and where it stands against its severity's acknowledge and resolve
 * targets (docs/metrics.md), judged at the clock's now.
 */
/**
 * The escalation policy paging the incident: its name, how many levels, and the level "page the
 * next level now" would page (null once every level has been paged). Null: no policy pages it.
 */
export interface IncidentEscalationView {
  policy: { id: string | null; name: string | null };
  levels: number;
  nextLevel: number | null;
}

export async function getIncident({ ctx, input }: { ctx: Ctx; input: { incident: unknown } }): Promise<IncidentView & { tasks: TaskView[]; targets: IncidentTargets; openActionItems: ActionItemView[]; escalation: IncidentEscalationView | null }> {
  authorize(ctx.actor, 'read');
  const ref = parseInput(IncidentRef, input.incident, 'incident');
  const row = await findIncidentRow(ctx.store.db, ref);
  const [tasks, severity, openActionItems, escalationRow] = await Promise.all([
    ctx.store.db.selectFrom('tasks').selectAll().where('incident_id', '=', row.id).orderBy('position').execute(),
    ctx.store.db.selectFrom('severities').select(['ack_target_seconds', 'resolve_target_seconds', 'business_hours']).where('key', '=', row.severity).executeTakeFirst(),
    // Open action items from earlier incidents on this service (docs/action-items.md).
    openItemsOnService(ctx, row),
    ctx.store.db.selectFrom('incident_escalations').select(['snapshot', 'state']).where('incident_id', '=', row.id).executeTakeFirst(),
  ]);
  const seconds = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  const targets = evaluateIncidentTargets(
    { detectedAt: Number(row.detected_at), acknowledgedAt: seconds(row.acknowledged_at), resolvedAt: seconds(row.resolved_at) },
    { ackTargetSeconds: seconds(severity?.ack_target_seconds), resolveTargetSeconds: seconds(severity?.resolve_target_seconds), businessHours: Number(severity?.business_hours ?? 0) === 1 },
    ctx.clock.now(),
  );
  return { ...(await toIncidentView(ctx.store.db, row)), tasks: tasks.map(toTaskView), targets, openActionItems, escalation: escalationView(escalationRow) };
}

function escalationView(row: { snapshot: string; state: string } | undefined): IncidentEscalationView | null {
  if (!row) return null;
  const snapshot = parseStoredSnapshot(row.snapshot);
  const state = parseEscalationState(JSON.parse(row.state));
  return {
    policy: { id: snapshot.policyId, name: snapshot.policy.name ?? null },
    levels: snapshot.policy.levels.length,
    nextLevel: state.dueAt === null ? null : state.levelIndex,
  };
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
