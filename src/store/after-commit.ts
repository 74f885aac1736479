import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Work that must wait until a transaction's changes are visible to everyone: telling the
 * worker a timer is due is useless before the commit (it would look, find nothing, and sleep
 * until its next poll), and wrong after a rollback. Callbacks registered with
 * {@link afterCommit} run right after the commit returns (on SQLite, after the WAL fsync), in
 * order, and never when the transaction rolls back.
 */
const pending = new WeakMap<Transaction<Database>, (() => void)[]>();

/** Runs `work` in a transaction, then the callbacks it registered with {@link afterCommit}. */
export async function runTransaction<T>(db: Kysely<Database>, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  const callbacks: (() => void)[] = [];
  const result = await db.transaction().execute((tx) => {
    pending.set(tx, callbacks);
    return work(tx);
  });
  for (const callback of callbacks) {
    try {
      callback();
    } catch {
      // A notification after the fact; the committed work stands whatever it does.
    }
  }
  return result;
}

/**
 * Calls `fn` once `tx` has committed. A transaction not begun through `Store.transaction`
 * (so its commit cannot be seen here) gets `fn` on the next turn of the event loop instead,
 * as early as before this existed.
 */
export function afterCommit(tx: Transaction<Database>, fn: () => void): void {
  const callbacks = pending.get(tx);
  if (callbacks) callbacks.push(fn);
  else setImmediate(fn);
}
