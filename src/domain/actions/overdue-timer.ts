import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { deleteTimer, upsertTimer } from '../paging/timers.js';

/**
 * One durable timer per open action item (unique key), due at the item's due time. Written in
 * the transaction that creates the item or moves its due date; deleted when it is closed. The
 * payload carries the due time it watches: a timer for an older due time is stale.
 */
export const actionDueTimerKey = (itemId: string): string => `action_due:${itemId}`;

export interface ActionDuePayload {
  itemId: string;
  dueAt: number;
}

export async function setActionDueTimer(ctx: Ctx, tx: Tx, payload: ActionDuePayload): Promise<void> {
  await upsertTimer(tx, { key: actionDueTimerKey(payload.itemId), kind: 'action_due', payload: { ...payload }, runAt: payload.dueAt, generation: 1, now: ctx.clock.now() });
}

export async function clearActionDueTimer(tx: Tx, itemId: string): Promise<void> {
  await deleteTimer(tx, actionDueTimerKey(itemId));
}
