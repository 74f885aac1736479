import { conflict, validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findActionItem, toActionItemViews, type ActionItemView } from './action-item-view.js';
import { setActionDueTimer } from './overdue-timer.js';
import { resolveOwner } from './resolve-owner.js';
import { EditActionItemInput } from './schemas.js';

/** Changes title, owner, due date, priority or link of an open item; a new due date moves its reminder. */
export async function editActionItem({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ActionItemView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(EditActionItemInput, input);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const item = await findActionItem(tx, data.item);
    if (item.status !== 'open') throw conflict(`action item ${item.id} is closed (${item.status}); re-open it first`);
    const set: Partial<typeof item> = { updated_at: now };
    if (data.title !== undefined) set.title = data.title;
    if (data.priority !== undefined) set.priority = data.priority;
    if (data.externalUrl !== undefined) set.external_url = data.externalUrl;
    if (data.owner !== undefined) set.owner_id = (await resolveOwner(tx, data.owner)).id;
    if (data.dueAt !== undefined && data.dueAt !== Number(item.due_at)) {
      if (data.dueAt <= now) throw validation('dueAt', 'is in the past: an action item is due later than now');
      set.due_at = data.dueAt;
      await setActionDueTimer(ctx, tx, { itemId: item.id, dueAt: data.dueAt });
    }
    await tx.updateTable('action_items').set(set).where('id', '=', item.id).execute();
    return (await toActionItemViews(tx, [{ ...item, ...set }], now))[0]!;
  });
}
