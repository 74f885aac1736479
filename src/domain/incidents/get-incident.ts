import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, toIncidentView, toTaskView, toTimelineView, type IncidentView, type TaskView, type TimelineEventView } from './incident-view.js';
import { IncidentRef, ListTimelineInput } from './schemas.js';

export async function getIncident({ ctx, input }: { ctx: Ctx; input: { incident: unknown } }): Promise<IncidentView & { tasks: TaskView[] }> {
  authorize(ctx.actor, 'read');
  const ref = parseInput(IncidentRef, input.incident, 'incident');
  const row = await findIncidentRow(ctx.store.db, ref);
  const tasks = await ctx.store.db.selectFrom('tasks').selectAll().where('incident_id', '=', row.id).orderBy('position').execute();
  return { ...(await toIncidentView(ctx.store.db, row)), tasks: tasks.map(toTaskView) };
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
