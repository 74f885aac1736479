import type { Tx } from '../../store/index.js';
import type { TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';
import { remindUser } from '../paging/remind-user.js';
import { REMINDER_GRACE_MS, setUpdateDueTimer, type UpdateDuePayload } from './cadence.js';
import { latestUpdate, updateTime } from './update-view.js';


/**
 * Who owes the update, in order: the communications role, the commander, whom the incident was
 * assigned to by hand, whoever was paged last. Step 0 reminds the first; step 1 (after the grace
 * period, still no update) the next one.
 */
export async function reminderChain(tx: Tx, incident: { id: string; assignee_id: string | null }): Promise<{ id: string; name: string; why: string }[]> {
  const roles = await tx.selectFrom('incident_roles').select(['role', 'user_id']).where('incident_id', '=', incident.id).where('role', 'in', ['communications', 'commander']).execute();
  const paged = await tx
    .selectFrom('deliveries')
    .select('user_id')
    .where('incident_id', '=', incident.id)
    .where('purpose', 'in', ['page', 'manual'])
    .where('user_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const candidates: { id: string | null | undefined; why: string }[] = [
    { id: roles.find((r) => r.role === 'communications')?.user_id, why: 'communications' },
    { id: roles.find((r) => r.role === 'commander')?.user_id, why: 'commander' },
    { id: incident.assignee_id, why: 'assignee' },
    { id: paged?.user_id, why: 'last paged' },
  ];
  const ids = [...new Set(candidates.map((c) => c.id).filter((id): id is string => !!id))];
  if (ids.length === 0) return [];
  const users = await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).where('disabled', '=', 0).execute();
  const seen = new Set<string>();
  const chain: { id: string; name: string; why: string }[] = [];
  for (const c of candidates) {
    const user = users.find((u) => u.id === c.id);
    if (!user || seen.has(user.id)) continue;
    seen.add(user.id);
    chain.push({ id: user.id, name: user.name, why: c.why });
  }
  return chain;
}

/**
 * The cadence timer fired: the deadline it watches passed with no newer update. Records the
 * miss on the timeline, reminds the person who owes the update on all their contact methods
 * (lower-priority deliveries), and sets the timer again for the grace period; after the second
 * reminder it is done. A timer whose deadline was moved by a newer update, or whose incident is
 * resolved, is stale and writes nothing. Reminder deliveries are keyed by deadline and step, so
 * a handler run twice reminds once.
 */
export async function remindUpdatesDue(ctx: Ctx, tx: Tx, timers: readonly TimerTable[], held: () => Promise<ReadonlySet<string>>): Promise<{ stale: TimerTable[] }> {
  const stale: TimerTable[] = [];
  const mine = await held();
  const now = ctx.clock.now();
  for (const timer of timers) {
    const payload = JSON.parse(timer.payload) as UpdateDuePayload;
    if (!mine.has(timer.id)) {
      stale.push(timer);
      continue;
    }
    const incident = await tx.selectFrom('incidents').select(['id', 'status', 'assignee_id']).where('id', '=', payload.incidentId).executeTakeFirst();
    const latest = incident ? await latestUpdate(tx, incident.id) : undefined;
    if (!incident || incident.status === 'resolved' || latest?.next_update_by !== payload.dueAt) {
      stale.push(timer);
      continue;
    }
    const chain = await reminderChain(tx, incident);
    const who = chain[payload.step];
    const reached = who ? await remindUser(tx, { userId: who.id, incidentId: incident.id, actionKey: `update_due:${payload.dueAt}:${payload.step}`, purpose: 'update_reminder', now }) : 0;
    const target = who ? `reminding **${who.name}** (${who.why})${reached === 0 ? ', who has no contact method' : ''}` : 'nobody to remind';
    if (payload.step === 0) {
      await appendTimeline(ctx, tx, incident.id, 'update_deadline_missed', `No update by the promised ${updateTime(payload.dueAt)}: ${target}`, {
        deadline: payload.dueAt, remindedUserId: who?.id ?? null, role: who?.why ?? null, deliveries: reached,
      });
      await setUpdateDueTimer(ctx, tx, { ...payload, step: 1 }, now + REMINDER_GRACE_MS);
    } else {
      await appendTimeline(ctx, tx, incident.id, 'update_reminder_escalated', `Still no update ${Math.round((now - payload.dueAt) / 60_000)} min after the deadline: ${target}`, {
        deadline: payload.dueAt, remindedUserId: who?.id ?? null, role: who?.why ?? null, deliveries: reached,
      });
      stale.push(timer);
    }
  }
  return { stale };
}
