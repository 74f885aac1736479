import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { ChecklistTemplateTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { upsertTimer } from '../paging/timers.js';
import type { ChecklistGroup } from './checklist-template-view.js';

export interface ChecklistTask {
  title: string;
  group: string | null;
  /** Seconds after the trigger the task is due; null: no due time. */
  dueOffsetSeconds: number | null;
}

/** A template's tasks in order: plain items (no due time), then each time window's items. */
export function expandChecklist(t: Pick<ChecklistTemplateTable, 'items' | 'groups'>): ChecklistTask[] {
  const plain = (JSON.parse(t.items) as string[]).map((title) => ({ title, group: null, dueOffsetSeconds: null }));
  const groups = JSON.parse(t.groups ?? '[]') as ChecklistGroup[];
  return [
    ...plain,
    ...groups.flatMap((g) => g.items.map((item) =>
      typeof item === 'string'
        ? { title: item, group: g.name, dueOffsetSeconds: g.dueOffsetSeconds }
        : { title: item.title, group: g.name, dueOffsetSeconds: item.dueOffsetSeconds ?? g.dueOffsetSeconds })),
  ];
}

export const taskDueTimerKey = (taskId: string): string => `task_due:${taskId}`;

/**
 * Inserts a template's tasks after `position`, due `offset` after `from`; a task with a due time
 * gets a durable reminder timer (kind `task_due`) in the same transaction. Returns the last position.
 */
export async function insertChecklistTasks(ctx: Ctx, tx: Tx, input: { incidentId: string; source: string; tasks: ChecklistTask[]; position: number; from: number }): Promise<number> {
  const now = ctx.clock.now();
  let position = input.position;
  for (const task of input.tasks) {
    position += 1;
    const id = newId('task', now);
    const dueAt = task.dueOffsetSeconds === null ? null : input.from + task.dueOffsetSeconds * 1000;
    await tx
      .insertInto('tasks')
      .values({ id, incident_id: input.incidentId, title: task.title, position, source: input.source, done: 0, done_by: null, done_at: null, created_at: now, due_at: dueAt, assignee_id: null, group_name: task.group })
      .execute();
    if (dueAt !== null) await upsertTimer(tx, { key: taskDueTimerKey(id), kind: 'task_due', payload: { taskId: id, dueAt }, runAt: dueAt, generation: 1, now });
  }
  return position;
}
