import { actorId } from '../../core/actor.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';
import { findActionItem, toActionItemViews, type ActionItemView } from './action-item-view.js';
import { clearActionDueTimer, setActionDueTimer } from './overdue-timer.js';
import { CloseActionItemInput } from './schemas.js';

const WORDS = { done: 'Done', wont_do: "Won't do", open: 'Re-opened' } as const;

/**
 * Sets an item's status: `done`, `wont_do` (a reason is required) or back to `open`. Closing
 * cancels its overdue reminder; re-opening schedules it again (at once if already past due).
 * Setting the status it already has changes nothing.
 */
export async function setActionItemStatus({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ActionItemView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(CloseActionItemInput, input);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const item = await findActionItem(tx, data.item);
    if (item.status === data.status) return (await toActionItemViews(tx, [item], now))[0]!;
    const closing = data.status !== 'open';
    const set = closing
      ? { status: data.status, reason: data.reason ?? null, closed_at: now, closed_by: actorId(ctx.actor) ?? ctx.actor.name, updated_at: now }
      : { status: 'open', reason: null, closed_at: null, closed_by: null, updated_at: now };
    await tx.updateTable('action_items').set(set).where('id', '=', item.id).execute();
    if (closing) await clearActionDueTimer(tx, item.id);
    else await setActionDueTimer(ctx, tx, { itemId: item.id, dueAt: Number(item.due_at) });
    await appendTimeline(ctx, tx, item.incident_id, closing ? 'action_item_closed' : 'action_item_reopened', `${WORDS[data.status]}: action item **${item.title}**${data.status === 'wont_do' ? ` (${data.reason})` : ''}`, {
      actionItemId: item.id, status: data.status,
    });
    return (await toActionItemViews(tx, [{ ...item, ...set }], now))[0]!;
  });
}
