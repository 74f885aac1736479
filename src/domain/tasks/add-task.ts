import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, toTaskView, type TaskView } from '../incidents/incident-view.js';
import { AddTaskInput } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';

export async function addTask({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<TaskView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(AddTaskInput, input);
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const last = await tx
      .selectFrom('tasks')
      .select((eb) => eb.fn.max('position').as('max'))
      .where('incident_id', '=', incident.id)
      .executeTakeFirst();
    const now = ctx.clock.now();
    const row = {
      id: newId('task', now),
      incident_id: incident.id,
      title: data.title,
      position: Number(last?.max ?? 0) + 1,
      source: null,
      done: 0,
      done_by: null,
      done_at: null,
      created_at: now,
    };
    await tx.insertInto('tasks').values(row).execute();
    await appendTimeline(ctx, tx, incident.id, 'task_added', `Task added: ${data.title}`, { taskId: row.id });
    return toTaskView(row);
  });
}
