import type { Tx } from '../../store/index.js';
import type { TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';
import { remindUser } from '../paging/remind-user.js';
import type { ActionDuePayload } from './overdue-timer.js';

/**
 * An action item's due time passed: if it is still open and still due then (the timer watches
 * one due time; a moved date replaced it), its owner is reminded on all their contact methods
 * and the incident's timeline says so. One reminder per due time; then the timer is done.
 */
export async function remindActionsOverdue(ctx: Ctx, tx: Tx, timers: readonly TimerTable[], held: () => Promise<ReadonlySet<string>>): Promise<{ stale: TimerTable[] }> {
  const mine = await held();
  const now = ctx.clock.now();
  for (const timer of timers) {
    if (!mine.has(timer.id)) continue;
    const payload = JSON.parse(timer.payload) as ActionDuePayload;
    const item = await tx.selectFrom('action_items').selectAll().where('id', '=', payload.itemId).executeTakeFirst();
    if (!item || item.status !== 'open' || Number(item.due_at) !== payload.dueAt) continue;
    const owner = await tx.selectFrom('users').select(['id', 'name', 'disabled']).where('id', '=', item.owner_id).executeTakeFirst();
    const reached = owner && !owner.disabled
      ? await remindUser(tx, { userId: owner.id, incidentId: item.incident_id, actionKey: `action_due:${item.id}:${payload.dueAt}`, purpose: 'action_reminder', now })
      : 0;
    await appendTimeline(ctx, tx, item.incident_id, 'action_item_overdue', `Action item overdue: **${item.title}**, reminding **${owner?.name ?? item.owner_id}**${reached === 0 ? ' (no contact method)' : ''}`, {
      actionItemId: item.id, ownerId: item.owner_id, deliveries: reached,
    });
  }
  // Every timer of this kind fires once: done (or stale) either way.
  return { stale: [...timers] };
}
