import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';
import { REMINDER_PRIORITY } from '../updates/remind-update-due.js';
import type { ActionDuePayload } from './overdue-timer.js';

/**
 * Deliveries to every working contact method of a user, in the reminder lane. Keyed by
 * (incident, action key, method): a handler run twice reminds once. Returns how many were new.
 */
export async function remindUser(tx: Tx, input: { userId: string; incidentId: string | null; actionKey: string; purpose: string; now: number; emailOnly?: boolean }): Promise<number> {
  let q = tx.selectFrom('contact_methods').select(['id', 'kind']).where('user_id', '=', input.userId).where('disabled_reason', 'is', null);
  if (input.emailOnly) q = q.where('kind', '=', 'email');
  const methods = await q.orderBy('created_at').execute();
  let reached = 0;
  for (const m of methods) {
    const result = await tx
      .insertInto('deliveries')
      .values({
        id: newId('dlv', input.now), incident_id: input.incidentId, action_key: input.actionKey, user_id: input.userId,
        contact_method_id: m.id, channel: m.kind, purpose: input.purpose, status: 'pending', attempts: 0, due_at: input.now, next_attempt_at: input.now,
        locked_by: null, locked_until: null, last_error: null, last_status_code: null, latency_ms: null, created_at: input.now, sent_at: null,
        priority: REMINDER_PRIORITY,
      })
      .onConflict((oc) => oc.columns(['incident_id', 'action_key', 'contact_method_id']).doNothing())
      .executeTakeFirst();
    reached += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return reached;
}

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
