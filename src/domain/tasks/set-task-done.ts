import { actorId } from '../../core/actor.js';
import { notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, toTaskView, type TaskView } from '../incidents/incident-view.js';
import { SetTaskDoneInput } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';

/** Ticks or unticks a task. Ticking a task already done changes nothing and writes no event. */
export async function setTaskDone({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<TaskView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(SetTaskDoneInput, input);
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const now = ctx.clock.now();
    const result = await tx
      .updateTable('tasks')
      .set(data.done ? { done: 1, done_by: actorId(ctx.actor) ?? ctx.actor.name, done_at: now } : { done: 0, done_by: null, done_at: null })
      .where('id', '=', data.task)
      .where('incident_id', '=', incident.id)
      .where('done', '=', data.done ? 0 : 1)
      .executeTakeFirst();
    const task = await tx.selectFrom('tasks').selectAll().where('id', '=', data.task).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!task) throw notFound('task', data.task);
    if (Number(result.numUpdatedRows) === 1) {
      await appendTimeline(ctx, tx, incident.id, data.done ? 'task_completed' : 'task_reopened', `${data.done ? 'Done' : 'Re-opened'}: ${task.title}`, { taskId: task.id });
    }
    return toTaskView(task);
  });
}
