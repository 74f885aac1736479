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
const finishing = new WeakMap<Transaction<Database>, (() => Promise<void>)[]>();

/**
 * Runs `work` in a transaction, then the steps it registered with {@link beforeCommit} (still
 * inside it), commits, then runs the callbacks it registered with {@link afterCommit}.
 */
export async function runTransaction<T>(db: Kysely<Database>, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  const callbacks: (() => void)[] = [];
  const result = await db.transaction().execute(async (tx) => {
    pending.set(tx, callbacks);
    const steps: (() => Promise<void>)[] = [];
    finishing.set(tx, steps);
    const value = await work(tx);
    // A step may register more steps; each runs once, in order.
    for (let i = 0; i < steps.length; i += 1) await steps[i]!();
    return value;
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

/**
 * Runs `step` inside `tx` once the transaction's own work is done, just before the commit; a
 * throw rolls everything back. Lets a hook gather what many changes of one transaction need and
 * do it once for all of them (the first escalation step of every incident an ingest batch
 * opened). Returns false, running nothing, for a transaction not begun through
 * `Store.transaction`; the caller then does the work its other way.
 */
export function beforeCommit(tx: Transaction<Database>, step: () => Promise<void>): boolean {
  const steps = finishing.get(tx);
  if (!steps) return false;
  steps.push(step);
  return true;
}
