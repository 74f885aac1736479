import type { Database as Native, Statement } from 'better-sqlite3';
import {
  CompiledQuery, SelectQueryNode, SqliteAdapter, SqliteDialect,
  type DatabaseConnection, type DialectAdapter, type Driver, type QueryResult,
} from 'kysely';
import type { WalSync } from './wal-sync.js';

/**
 * Kysely's SQLite driver, plus the WAL fsync of {@link WalSync} when the connection is released:
 * every transaction, and every statement that wrote outside one, is on stable storage before its
 * caller's `await` returns — whether the caller used `store.transaction`, `db.transaction()` or a
 * bare query. A read waits too if it ran while a commit was still unsynced, since it may have
 * seen that commit's rows. The connection itself is handed to the next caller *before* the
 * fsync, so the next transaction executes while the previous one's sync runs on the threadpool.
 */
export class DurableSqliteDialect extends SqliteDialect {
  readonly #native: Native;
  readonly #walSync: WalSync | null;

  constructor(native: Native, walSync: WalSync | null) {
    super({ database: native });
    this.#native = native;
    this.#walSync = walSync;
  }

  override createDriver(): Driver {
    return new DurableSqliteDriver(this.#native, this.#walSync);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * SQLite's schema changes are transactional, but Kysely's adapter says they are not, so its
 * migrator ran them in autocommit: a migration that failed half-way (a full disk, a crash) left
 * its first statements applied and itself unrecorded, and the next start failed on them. With
 * this, pending migrations and their records commit together or not at all, as on PostgreSQL.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Prepared statements kept per SQL text; Kysely's driver prepares on every execution. */
const STATEMENT_CACHE_SIZE = 256;

class DurableSqliteConnection implements DatabaseConnection {
  readonly #native: Native;
  readonly #walSync: WalSync | null;
  readonly #statements = new Map<string, Statement>();
  /** Between `begin` and its commit or rollback, as the caller sees it. */
  #inCallerTransaction = false;
  /** The error that made SQLite roll the open transaction back by itself, if one did. */
  #abortedBy: unknown = null;

  constructor(native: Native, walSync: WalSync | null) {
    this.#native = native;
    this.#walSync = walSync;
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#native.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    // After SQLITE_FULL, IOERR, NOMEM or an interrupt SQLite may roll the whole transaction back
    // itself. A caller that caught the error and went on would then write in autocommit mode,
    // outside its transaction: refuse, with the error that ended it.
    if (this.#inCallerTransaction && !this.#native.inTransaction) return Promise.reject(transactionGone(this.#abortedBy));
    try {
      return Promise.resolve(this.#execute<R>(sql, parameters));
    } catch (error) {
      if (this.#inCallerTransaction && !this.#native.inTransaction) this.#abortedBy = error;
      throw error;
    }
  }

  /** Called at begin and at the end of each transaction. */
  resetTransactionState(open: boolean): void {
    this.#inCallerTransaction = open;
    this.#abortedBy = null;
  }

  #execute<R>(sql: string, parameters: readonly unknown[]): QueryResult<R> {
    const statement = this.#prepare(sql);
    let result: QueryResult<R>;
    let changed: boolean;
    if (statement.reader) {
      result = { rows: statement.all(parameters) as R[] };
      // A write that returns rows (`RETURNING`) returns one per row it changed.
      changed = result.rows.length > 0;
    } else {
      const { changes, lastInsertRowid } = statement.run(parameters);
      result = { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
      changed = changes > 0;
    }
    // A write outside a transaction committed on its own (COMMIT itself is "readonly" to SQLite
    // and is counted by the driver). One that changed nothing appended nothing to the WAL: the
    // worker's claims find nothing due on most polls, and each used to cost an fsync. DDL reports
    // no changes, so it always counts.
    if (!statement.readonly && !this.#native.inTransaction && (changed || !isRowWrite(sql))) this.#walSync?.noteCommit();
    return result;
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) throw new Error('Sqlite driver only supports streaming of select queries');
    // Not cached: an iterating statement is busy until the stream ends.
    for (const row of this.#native.prepare(compiledQuery.sql).iterate(compiledQuery.parameters)) yield { rows: [row as R] };
  }
}

class DurableSqliteDriver implements Driver {
  readonly #native: Native;
  readonly #walSync: WalSync | null;
  readonly #connection: DurableSqliteConnection;
  #locked: Promise<void> | null = null;
  #unlock: (() => void) | null = null;

  constructor(native: Native, walSync: WalSync | null) {
    this.#native = native;
    this.#walSync = walSync;
    this.#connection = new DurableSqliteConnection(native, walSync);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection: callers queue for it.
    while (this.#locked) await this.#locked;
    this.#locked = new Promise((resolve) => (this.#unlock = resolve));
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
    this.#connection.resetTransactionState(true);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
    this.#connection.resetTransactionState(false);
    this.#walSync?.noteCommit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.#connection.resetTransactionState(false);
    // Already rolled back by SQLite (a full disk, an I/O error): a ROLLBACK now would fail with
    // "cannot rollback - no transaction is active" and hide the error that caused it.
    if (!this.#native.inTransaction) return;
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    if (!this.#native.inTransaction) return;
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteIdentifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteIdentifier(name)}`));
  }

  async releaseConnection(): Promise<void> {
    // What this caller wrote, or may have read, is everything committed so far.
    const target = this.#walSync?.committed ?? 0;
    const unlock = this.#unlock;
    this.#locked = null;
    this.#unlock = null;
    unlock?.();
    if (this.#walSync && !this.#walSync.isDurable) await this.#walSync.waitDurable(target);
  }

  async destroy(): Promise<void> {
    await this.#walSync?.close();
    this.#native.close();
  }
}

/** The transaction SQLite rolled back itself; carries the cause's code so `isTransient` sees it. */
function transactionGone(cause: unknown): Error {
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : 'an earlier error';
  return Object.assign(new Error(`the transaction was rolled back by SQLite after: ${message}`, { cause }), { code: typeof code === 'string' ? code : 'SQLITE_ABORT' });
}

/** INSERT/UPDATE/DELETE (possibly after a WITH): statements whose change count says whether they wrote. */
const isRowWrite = (sql: string): boolean => /^\s*(with\b[\s\S]*?\b)?(insert|update|delete|replace)\b/i.test(sql);

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
