import type { Store } from '../store/index.js';
import type { TimerTable } from '../store/schema.js';

/**
 * Claiming due timers in ONE statement: `WITH picked AS MATERIALIZED (SELECT … FOR UPDATE SKIP LOCKED)
 * UPDATE … WHERE id IN picked RETURNING`, so there is no window between picking rows and marking them (the race of a
 * separate SELECT then UPDATE). A lease (`locked_until`) lets another instance take over the
 * timers of one that died; `attempts` is bumped on every claim and is the claim's fencing value.
 */
export async function claimTimers(store: Store, input: { owner: string; now: number; leaseMs: number; limit: number }): Promise<TimerTable[]> {
  const { now } = input;
  // A MATERIALIZED CTE, evaluated once (see claimDeliveries: PostgreSQL may otherwise re-run a
  // `LIMIT … SKIP LOCKED` subquery per updated row and claim more than `limit`).
  return store.db
    .with((cte) => cte('picked').materialized(), () => store.dialect.forUpdateSkipLocked(
      store.db
        .selectFrom('timers')
        .select('id')
        .where('run_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .orderBy('run_at')
        .limit(input.limit),
    ))
    .updateTable('timers')
    .set((eb) => ({ locked_by: input.owner, locked_until: now + input.leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) => eb.selectFrom('picked').select('picked.id'))
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .returningAll()
    .execute();
}

/** Shutdown: hand unfinished claims back at once instead of waiting for the lease (R13). */
export async function releaseTimers(store: Store, owner: string, ids?: string[]): Promise<number> {
  let q = store.db.updateTable('timers').set({ locked_by: null, locked_until: null }).where('locked_by', '=', owner);
  if (ids) {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** Claimed timers put back unrun, due again at `runAt` (not a failure: no error is recorded). */
export async function deferTimers(store: Store, owner: string, ids: readonly string[], runAt: number): Promise<void> {
  if (ids.length === 0) return;
  await store.db.updateTable('timers').set({ run_at: runAt, locked_by: null, locked_until: null }).where('id', 'in', [...ids]).where('locked_by', '=', owner).execute();
}

/** A handler failed: retry later, keeping the timer (a page must never be dropped). */
export async function retryTimer(store: Store, input: { id: string; owner: string; attempts: number; runAt: number; error: string }): Promise<void> {
  await store.db
    .updateTable('timers')
    .set({ run_at: input.runAt, locked_by: null, locked_until: null, last_error: input.error.slice(0, 500) })
    .where('id', '=', input.id)
    .where('locked_by', '=', input.owner)
    .where('attempts', '=', input.attempts)
    .execute();
}

/** Earliest time any timer may be claimed, to sleep exactly until then. */
export async function nextTimerDue(store: Store): Promise<number | null> {
  const row = await store.db.selectFrom('timers').select((eb) => eb.fn.min('run_at').as('at')).executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}
