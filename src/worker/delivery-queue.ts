import type { ExpressionBuilder } from 'kysely';
import type { Store } from '../store/index.js';
import type { Database, DeliveryTable } from '../store/schema.js';

/**
 * The delivery table is the outgoing queue. A claim commits `sending` (with a lease) BEFORE the
 * call out, so a crash mid-send leaves a `sending` row whose lease runs out and is retried with
 * the same delivery id: a possible duplicate the receiver can drop, never a lost page.
 */
export async function claimDeliveries(store: Store, input: { owner: string; now: number; leaseMs: number; limit: number }): Promise<DeliveryTable[]> {
  if (input.limit <= 0) return [];
  const { now } = input;
  const claimable = (eb: ExpressionBuilder<Database, 'deliveries'>) =>
    eb.or([
      eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', now)]),
    ]);
  const due = store.dialect.forUpdateSkipLocked(
    // Pages (priority 0) before reminders and stakeholder traffic (1): a page never waits in line.
    store.db.selectFrom('deliveries').select('id').where(claimable).orderBy('priority').orderBy('next_attempt_at').limit(input.limit),
  );
  return store.db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'sending', locked_by: input.owner, locked_until: now + input.leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due)
    .where(claimable)
    .returningAll()
    .execute();
}

/** Shutdown: unsent claims go back to `pending` at once; the attempt is not counted as failed. */
export async function releaseDeliveries(store: Store, owner: string, now: number, ids?: string[]): Promise<number> {
  let q = store.db
    .updateTable('deliveries')
    .set({ status: 'pending', locked_by: null, locked_until: null, next_attempt_at: now })
    .where('locked_by', '=', owner)
    .where('status', '=', 'sending');
  if (ids) {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

export async function nextDeliveryDue(store: Store): Promise<number | null> {
  const row = await store.db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}
