import type { Store, Tx } from './index.js';

/**
 * Runs `work` in a transaction and, when it loses a race to a unique index (another transaction
 * inserted the same key and committed first: PostgreSQL reports it once the winner has
 * committed), runs it again, now seeing the winner's row: the outcome is that of running one
 * after the other, which is what SQLite, one writer at a time, always does. `work` must be
 * safe to run again (only database effects, or effects registered with `afterCommit`). A
 * violation still there after `attempts` runs is a real duplicate and is rethrown.
 */
export async function transactionRetryingUniqueRaces<T>(store: Store, work: (tx: Tx) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await store.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !store.dialect.isUniqueViolation(error)) throw error;
    }
  }
}
