import type { Tx } from '../../store/index.js';
import type { DeliveryTable, TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { upsertTimer } from '../paging/timers.js';
import { fanoutTimerKey } from './notify-subscribers.js';
import { matchesComponents, NOTIFY_PRIORITY } from './subscriber-view.js';

/** Subscribers read per timer run: one short transaction each, so pages' writes interleave. */
export const FANOUT_BATCH = 250;
/** Per run while pages are going out (the worker runs them more often, at the same pace: worker.ts). */
export const FANOUT_BATCH_WHILE_PAGING = 50;

/**
 * Stable per notification and subscriber: a batch expanded twice (a crash before the cursor
 * was saved) inserts nothing twice, and every retry of the send carries the same id.
 */
export const subscriberDeliveryId = (notificationId: string, subscriberId: string): string => `dlv_${notificationId.slice(4)}_${subscriberId.slice(4)}`;

/**
 * The `subscribers:<notification>` timer fired: the next `batchSize` confirmed subscribers after
 * the cursor become deliveries (lane 3, below pages and reminders), the cursor moves, and the
 * timer is set again at once while more remain. Done: the timer goes (stale).
 */
export async function expandNotifications(ctx: Ctx, tx: Tx, timers: readonly TimerTable[], held: () => Promise<ReadonlySet<string>>, batchSize = FANOUT_BATCH): Promise<{ stale: TimerTable[] }> {
  const stale: TimerTable[] = [];
  const mine = await held();
  const now = ctx.clock.now();
  for (const timer of timers) {
    const { notificationId } = JSON.parse(timer.payload) as { notificationId: string };
    const n = mine.has(timer.id) ? await tx.selectFrom('subscriber_notifications').selectAll().where('id', '=', notificationId).executeTakeFirst() : undefined;
    if (!n || n.done_at !== null) {
      stale.push(timer);
      continue;
    }
    let q = tx.selectFrom('status_subscribers').select(['id', 'kind', 'components']).where('page_id', '=', n.page_id).where('confirmed_at', 'is not', null);
    if (n.cursor !== null) q = q.where('id', '>', n.cursor);
    const batch = await q.orderBy('id').limit(batchSize).execute();
    const touched: string[] = JSON.parse(n.components);
    const rows: DeliveryTable[] = batch.filter((s) => matchesComponents(JSON.parse(s.components), touched)).map((s) => ({
      id: subscriberDeliveryId(n.id, s.id), incident_id: null, action_key: `notify:${n.id}`, user_id: null, contact_method_id: null, subscriber_id: s.id,
      channel: s.kind, purpose: 'subscriber', status: 'pending', attempts: 0, due_at: now, next_attempt_at: now, locked_by: null, locked_until: null,
      last_error: null, last_status_code: null, latency_ms: null, created_at: now, sent_at: null, send_started_at: null, priority: NOTIFY_PRIORITY,
    }));
    // Parameters per statement stay far below SQLite's and PostgreSQL's limits.
    for (let i = 0; i < rows.length; i += 250) {
      await tx.insertInto('deliveries').values(rows.slice(i, i + 250)).onConflict((oc) => oc.column('id').doNothing()).execute();
    }
    const done = batch.length < batchSize;
    await tx.updateTable('subscriber_notifications').set({
      cursor: batch.at(-1)?.id ?? n.cursor, expanded: n.expanded + rows.length, done_at: done ? now : null,
    }).where('id', '=', n.id).execute();
    if (done) stale.push(timer);
    else await upsertTimer(tx, { key: fanoutTimerKey(n.id), kind: 'subscribers', payload: { notificationId: n.id }, runAt: now, generation: timer.generation + 1, now });
  }
  return { stale };
}
