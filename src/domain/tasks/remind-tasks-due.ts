import type { Tx } from '../../store/index.js';
import type { TimerTable } from '../../store/schema.js';
import { remindUser } from '../paging/remind-user.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';

/**
 * A post-incident task's due time passed and it is not done: whoever it is assigned to (else
 * the incident's commander) is reminded on their contact methods, once per due time. A task
 * done meanwhile, or gone, writes nothing.
 */
export async function remindTasksDue(ctx: Ctx, tx: Tx, timers: readonly TimerTable[], held: () => Promise<ReadonlySet<string>>): Promise<{ stale: TimerTable[] }> {
  const mine = await held();
  const now = ctx.clock.now();
  for (const timer of timers) {
    if (!mine.has(timer.id)) continue;
    const payload = JSON.parse(timer.payload) as { taskId: string; dueAt: number };
    const task = await tx.selectFrom('tasks').selectAll().where('id', '=', payload.taskId).executeTakeFirst();
    if (!task || task.done || Number(task.due_at) !== payload.dueAt) continue;
    const commander = await tx.selectFrom('incident_roles').select('user_id').where('incident_id', '=', task.incident_id).where('role', '=', 'commander').executeTakeFirst();
    const userId = task.assignee_id ?? commander?.user_id ?? null;
    const user = userId ? await tx.selectFrom('users').select(['id', 'name']).where('id', '=', userId).where('disabled', '=', 0).executeTakeFirst() : undefined;
    const reached = user ? await remindUser(tx, { userId: user.id, incidentId: task.incident_id, actionKey: `task_due:${task.id}:${payload.dueAt}`, purpose: 'task_reminder', now }) : 0;
    await appendTimeline(ctx, tx, task.incident_id, 'task_overdue', `Task overdue: ${task.title}${user ? `, reminding **${user.name}**${task.assignee_id ? '' : ' (commander)'}` : ': nobody assigned to remind'}`, {
      taskId: task.id, remindedUserId: user?.id ?? null, deliveries: reached,
    });
  }
  return { stale: [...timers] };
}
