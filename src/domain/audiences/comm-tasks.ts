import { actorId } from '../../core/actor.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import type { IncidentHook } from '../incidents/hooks.js';
import { appendTimeline } from '../incidents/timeline.js';
import { remindUser } from '../paging/remind-user.js';
import { deleteTimer, upsertTimer } from '../paging/timers.js';
import { REMINDER_GRACE_MS } from '../updates/cadence.js';
import { reminderChain } from '../updates/remind-update-due.js';
import { updateTime } from '../updates/update-view.js';
import { CommTasks, type CommTask } from './schemas.js';

/**
 * Per-severity communication deadlines ("update the status page within 5 minutes of a SEV1"):
 * when an incident opens, or is raised to a severity, each of the severity's communication tasks
 * becomes an incident task with a due time and a durable timer (`comm_task:<task>`). Posting an
 * update to the task's audience ticks it; when it falls due undone, the person who owes the
 * update is reminded the way a missed update deadline reminds them (the same chain, lane and
 * grace period).
 */
export const commTaskTimerKey = (taskId: string): string => `comm_task:${taskId}`;

interface CommTaskPayload {
  incidentId: string;
  taskId: string;
  step: 0 | 1;
}

export function parseCommTasks(json: string | undefined): CommTask[] {
  const parsed = CommTasks.safeParse(JSON.parse(json ?? '[]'));
  return parsed.success ? parsed.data : [];
}

/** Adds the severity's communication tasks not yet on the incident, due `withinSeconds` from `from`. */
export async function applyCommTasks(ctx: Ctx, tx: Tx, incidentId: string, severity: string, from: number): Promise<number> {
  const sev = await tx.selectFrom('severities').select(['key', 'comm_tasks']).where('key', '=', severity).executeTakeFirst();
  const tasks = parseCommTasks(sev?.comm_tasks);
  if (tasks.length === 0) return 0;
  const existing = await tx.selectFrom('tasks').select(['source', 'position']).where('incident_id', '=', incidentId).execute();
  const applied = new Set(existing.map((t) => t.source));
  let position = existing.reduce((max, t) => Math.max(max, t.position), 0);
  const now = ctx.clock.now();
  let added = 0;
  for (const task of tasks) {
    // Once per title and severity: raised SEV3 → SEV1 gains SEV1's tasks, lowered and raised again nothing new.
    const source = `comm:${sev!.key}:${task.title}`;
    if (applied.has(source)) continue;
    position += 1;
    const id = newId('task', now);
    const dueAt = from + task.withinSeconds * 1000;
    await tx
      .insertInto('tasks')
      .values({ id, incident_id: incidentId, title: task.title, position, source, done: 0, done_by: null, done_at: null, created_at: now, due_at: dueAt, audience: task.audience ?? null })
      .execute();
    await upsertTimer(tx, { key: commTaskTimerKey(id), kind: 'comm_task', payload: { incidentId, taskId: id, step: 0 }, runAt: dueAt, generation: 1, now });
    await appendTimeline(ctx, tx, incidentId, 'task_added', `Communication task: ${task.title} (due ${updateTime(dueAt)})`, { taskId: id, dueAt, audience: task.audience ?? null });
    added += 1;
  }
  return added;
}

/** Posting an update to these audiences ticks the open communication tasks it satisfies. */
export async function completeCommTasks(ctx: Ctx, tx: Tx, incidentId: string, audiences: readonly string[]): Promise<void> {
  const open = await tx.selectFrom('tasks').select(['id', 'title', 'audience']).where('incident_id', '=', incidentId).where('done', '=', 0).where('due_at', 'is not', null).execute();
  const now = ctx.clock.now();
  for (const task of open.filter((t) => t.audience == null || audiences.includes(t.audience))) {
    await tx.updateTable('tasks').set({ done: 1, done_by: actorId(ctx.actor) ?? ctx.actor.name, done_at: now }).where('id', '=', task.id).execute();
    await deleteTimer(tx, commTaskTimerKey(task.id));
    await appendTimeline(ctx, tx, incidentId, 'task_completed', `Done: ${task.title} (update posted)`, { taskId: task.id });
  }
}

/** Opening an incident, or raising its severity, adds that severity's communication tasks. */
export const commTasksIncidentHook: IncidentHook = async (ctx, tx, change) => {
  if (change.type === 'opened') await applyCommTasks(ctx, tx, change.incident.id, change.incident.severity, change.incident.declared_at);
  else if (change.type === 'severity_changed') await applyCommTasks(ctx, tx, change.incident.id, change.to, ctx.clock.now());
};

/**
 * A communication task fell due. Done meanwhile (by hand or by an update), or the incident is
 * resolved: stale. Otherwise the miss goes on the timeline and the first person of the reminder
 * chain is reminded; after the grace period, still undone, the next one. Keyed by task and step,
 * so a handler run twice reminds once.
 */
export async function remindCommTasksDue(ctx: Ctx, tx: Tx, timers: readonly TimerTable[], held: () => Promise<ReadonlySet<string>>): Promise<{ stale: TimerTable[] }> {
  const stale: TimerTable[] = [];
  const mine = await held();
  const now = ctx.clock.now();
  for (const timer of timers) {
    const payload = JSON.parse(timer.payload) as CommTaskPayload;
    const task = await tx.selectFrom('tasks').select(['id', 'title', 'done', 'due_at']).where('id', '=', payload.taskId).executeTakeFirst();
    const incident = await tx.selectFrom('incidents').select(['id', 'status', 'assignee_id']).where('id', '=', payload.incidentId).executeTakeFirst();
    if (!mine.has(timer.id) || !task || task.done === 1 || !incident || incident.status === 'resolved') {
      stale.push(timer);
      continue;
    }
    const who = (await reminderChain(tx, incident))[payload.step];
    const reached = who ? await remindUser(tx, { userId: who.id, incidentId: incident.id, actionKey: `comm_task:${task.id}:${payload.step}`, purpose: 'comm_task_reminder', now }) : 0;
    const target = who ? `reminding **${who.name}** (${who.why})${reached === 0 ? ', who has no contact method' : ''}` : 'nobody to remind';
    await appendTimeline(ctx, tx, incident.id, payload.step === 0 ? 'comm_deadline_missed' : 'comm_reminder_escalated', `${payload.step === 0 ? 'Communication task due' : 'Still not done'}: ${task.title}: ${target}`, {
      taskId: task.id, deadline: task.due_at, remindedUserId: who?.id ?? null, role: who?.why ?? null, deliveries: reached,
    });
    if (payload.step === 0) await upsertTimer(tx, { key: commTaskTimerKey(task.id), kind: 'comm_task', payload: { ...payload, step: 1 }, runAt: now + REMINDER_GRACE_MS, generation: 1, now });
    else stale.push(timer);
  }
  return { stale };
}
