import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import type { IncidentHook } from '../incidents/hooks.js';
import { commTasksIncidentHook } from '../audiences/comm-tasks.js';
import { deleteTimer, upsertTimer } from '../paging/timers.js';

/**
 * The cadence contract's timer: one per incident (unique key), due at the latest update's
 * "next update by". Written in the transaction that posts the update; replaced by the next
 * update, deleted when the incident resolves. `step` 0 reminds the first person; 1, after the
 * grace period, the next one.
 */
export const updateDueTimerKey = (incidentId: string): string => `update_due:${incidentId}`;

/** After a missed deadline, how long before the next person is reminded too. */
export const REMINDER_GRACE_MS = 10 * 60_000;

export interface UpdateDuePayload {
  incidentId: string;
  /** The deadline (epoch ms) this timer watches: a newer update moves it, making the timer stale. */
  dueAt: number;
  step: 0 | 1;
}

export async function setUpdateDueTimer(ctx: Ctx, tx: Tx, payload: UpdateDuePayload, runAt: number): Promise<void> {
  await upsertTimer(tx, { key: updateDueTimerKey(payload.incidentId), kind: 'update_due', payload: { ...payload }, runAt, generation: 1, now: ctx.clock.now() });
}

export async function clearUpdateDueTimer(tx: Tx, incidentId: string): Promise<void> {
  await deleteTimer(tx, updateDueTimerKey(incidentId));
}

/** A resolved incident owes no more updates: its reminder goes in the resolving transaction. */
export const updatesIncidentHook: IncidentHook = async (ctx, tx, change) => {
  if (change.type === 'status_changed' && change.to === 'resolved') await clearUpdateDueTimer(tx, change.incident.id);
  // The severity's communication deadlines ride the same hook (wired wherever updates are).
  await commTasksIncidentHook(ctx, tx, change);
};
