import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs `work` under a savepoint of `tx`: if it throws, only what it wrote is undone, the error
 * is rethrown, and the transaction stays usable for the caller's fallback (on PostgreSQL a
 * failed statement would otherwise abort the whole transaction). The same SQL on SQLite and
 * PostgreSQL.
 */
export async function withSavepoint<T>(tx: Transaction<Database>, name: string, work: () => Promise<T>): Promise<T> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid savepoint name ${name}`);
  const id = sql.id(name);
  await sql`savepoint ${id}`.execute(tx);
  try {
    const result = await work();
    await sql`release savepoint ${id}`.execute(tx);
    return result;
  } catch (error) {
    try {
      await sql`rollback to savepoint ${id}`.execute(tx);
      await sql`release savepoint ${id}`.execute(tx);
    } catch {
      // The transaction itself is gone (SQLite rolls it back on a full disk, PostgreSQL's
      // connection dropped): the caller's next statement fails too, and `error` says why.
    }
    throw error;
  }
}
