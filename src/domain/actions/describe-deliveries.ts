import type { Db } from '../../store/index.js';
import type { DeliveryTable } from '../../store/schema.js';

/** Delivery purposes of follow-up traffic; the worker asks this module what they say. */
export const FOLLOW_UP_PURPOSES = ['action_reminder', 'task_reminder', 'action_digest'] as const;

export interface FollowUpText {
  kind: 'action_overdue' | 'task_due' | 'action_digest';
  subject: string;
  lines: string[];
  /** Path under the public URL to open. */
  path: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * What each follow-up delivery says, read at send time (the item may have been renamed since).
 * An item closed or a task done since the reminder was queued gets no text: the worker then
 * cancels the send.
 * The subject of a delivery lives in its `action_key`: `action_due:<item>:<dueAt>`,
 * `task_due:<task>:<dueAt>`, `action_digest:<digest id>`.
 */
export async function describeFollowUps(db: Db, rows: readonly DeliveryTable[]): Promise<Map<string, FollowUpText>> {
  const out = new Map<string, FollowUpText>();
  const ref = (row: DeliveryTable) => row.action_key.split(':')[1] ?? '';
  const of = (purpose: string) => rows.filter((r) => r.purpose === purpose);
  const items = of('action_reminder');
  const tasks = of('task_reminder');
  const digests = of('action_digest');
  const [itemRows, taskRows, digestRows] = await Promise.all([
    items.length
      ? db.selectFrom('action_items').innerJoin('incidents', 'incidents.id', 'action_items.incident_id')
          .select(['action_items.id', 'action_items.title', 'action_items.due_at', 'action_items.priority', 'action_items.external_url', 'incidents.number', 'incidents.title as incident_title'])
          .where('action_items.id', 'in', items.map(ref)).where('action_items.status', '=', 'open').execute()
      : [],
    tasks.length
      ? db.selectFrom('tasks').innerJoin('incidents', 'incidents.id', 'tasks.incident_id')
          .select(['tasks.id', 'tasks.title', 'tasks.due_at', 'tasks.group_name', 'incidents.number', 'incidents.title as incident_title'])
          .where('tasks.id', 'in', tasks.map(ref)).where('tasks.done', '=', 0).execute()
      : [],
    digests.length ? db.selectFrom('action_digests').select(['id', 'subject', 'body']).where('id', 'in', digests.map(ref)).execute() : [],
  ]);
  for (const row of items) {
    const item = itemRows.find((i) => i.id === ref(row));
    if (!item) continue;
    out.set(row.id, {
      kind: 'action_overdue',
      subject: `Action item overdue: ${item.title}`,
      lines: [
        `"${item.title}" was due ${day(Number(item.due_at))} (priority ${item.priority}).`,
        `From incident #${item.number}: ${item.incident_title}`,
        ...(item.external_url ? [`Issue: ${item.external_url}`] : []),
        'Close it (done, or won\'t do with a reason) or move its due date.',
      ],
      path: `/incidents/${item.number}`,
    });
  }
  for (const row of tasks) {
    const task = taskRows.find((t) => t.id === ref(row));
    if (!task) continue;
    out.set(row.id, {
      kind: 'task_due',
      subject: `Task due: ${task.title}`,
      lines: [
        `"${task.title}"${task.group_name ? ` (${task.group_name})` : ''} was due ${task.due_at === null ? '' : new Date(Number(task.due_at)).toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
        `From incident #${task.number}: ${task.incident_title}`,
      ],
      path: `/incidents/${task.number}`,
    });
  }
  for (const row of digests) {
    const digest = digestRows.find((d) => d.id === ref(row));
    if (!digest) continue;
    out.set(row.id, { kind: 'action_digest', subject: digest.subject, lines: JSON.parse(digest.body) as string[], path: '/action-items' });
  }
  return out;
}
