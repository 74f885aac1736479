import type { Tx } from '../../store/index.js';
import type { TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';
import { remindUser } from '../paging/remind-user.js';
import { deleteTimer, upsertTimer } from '../paging/timers.js';
import { fmtTime } from './draft.js';

/**
 * The due date's durable timer: one per post-mortem (unique key), written in the transaction
 * that sets or moves the due date, deleted when it is published. It fires at the due date
 * (step 0) and once more a day later (step 1), reminding the owner on all their contact methods
 * in the reminder lane (priority 1), so a page never waits behind it.
 */
export const postmortemDueTimerKey = (postmortemId: string): string => `postmortem_due:${postmortemId}`;
export const SECOND_REMINDER_AFTER_MS = 24 * 3_600_000;

export interface PostmortemDuePayload {
  postmortemId: string;
  /** The due date (epoch ms) this timer watches: moving the due date makes it stale. */
  dueAt: number;
  step: 0 | 1;
}

export async function setPostmortemDueTimer(ctx: Ctx, tx: Tx, payload: PostmortemDuePayload, runAt: number): Promise<void> {
  await upsertTimer(tx, { key: postmortemDueTimerKey(payload.postmortemId), kind: 'postmortem_due', payload: { ...payload }, runAt, generation: 1, now: ctx.clock.now() });
}

/** Sets (due date given) or removes (null) the reminder for a post-mortem. */
export async function scheduleDueReminder(ctx: Ctx, tx: Tx, postmortemId: string, dueAt: number | null): Promise<void> {
  if (dueAt === null) await deleteTimer(tx, postmortemDueTimerKey(postmortemId));
  else await setPostmortemDueTimer(ctx, tx, { postmortemId, dueAt, step: 0 }, dueAt);
}

/**
 * The due timer fired. Stale (writes nothing) when the post-mortem is gone, published, or its
 * due date moved. Otherwise: reminder deliveries to the owner (keyed by due date and step, so a
 * handler run twice reminds once), a timeline event on the primary incident, and after step 0
 * the timer again a day later.
 */
export async function remindPostmortemsDue(ctx: Ctx, tx: Tx, timers: readonly TimerTable[], held: () => Promise<ReadonlySet<string>>): Promise<{ stale: TimerTable[] }> {
  const stale: TimerTable[] = [];
  const mine = await held();
  const now = ctx.clock.now();
  for (const timer of timers) {
    const payload = JSON.parse(timer.payload) as PostmortemDuePayload;
    const pm = mine.has(timer.id) ? await tx.selectFrom('postmortems').selectAll().where('id', '=', payload.postmortemId).executeTakeFirst() : undefined;
    if (!pm || pm.status === 'published' || (pm.due_at === null ? null : Number(pm.due_at)) !== payload.dueAt) {
      stale.push(timer);
      continue;
    }
    const primary = await tx.selectFrom('postmortem_incidents').select('incident_id').where('postmortem_id', '=', pm.id).orderBy('position').executeTakeFirst();
    const owner = pm.owner_id ? await tx.selectFrom('users').select(['id', 'name']).where('id', '=', pm.owner_id).where('disabled', '=', 0).executeTakeFirst() : undefined;
    const reached = owner && primary ? await remindUser(tx, { userId: owner.id, incidentId: primary.incident_id, actionKey: `postmortem_due:${pm.id}:${payload.dueAt}:${payload.step}`, purpose: 'postmortem_reminder', now }) : 0;
    if (primary) {
      const who = owner ? `reminding **${owner.name}** (owner)${reached === 0 ? ', who has no contact method' : ''}` : 'it has no owner to remind';
      await appendTimeline(ctx, tx, primary.incident_id, 'postmortem_due', `Post-mortem "${pm.title}" was due ${fmtTime(payload.dueAt)} and is ${pm.status.replace('_', ' ')}: ${who}`, {
        postmortemId: pm.id, dueAt: payload.dueAt, step: payload.step, remindedUserId: owner?.id ?? null, deliveries: reached,
      });
    }
    if (payload.step === 0) await setPostmortemDueTimer(ctx, tx, { ...payload, step: 1 }, now + SECOND_REMINDER_AFTER_MS);
    else stale.push(timer);
  }
  return { stale };
}
