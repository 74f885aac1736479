import type { Kysely, Transaction } from 'kysely';
import { runTransaction } from './after-commit.js';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';
import { openPostgres } from './postgres/postgres-dialect.js';
import { openSqlite } from './sqlite/sqlite-dialect.js';
import type { FsyncFn } from './sqlite/wal-sync.js';

export type { StoreDialect } from './dialect.js';
export type { Database } from './schema.js';
export { afterCommit, beforeCommit } from './after-commit.js';
export { withSavepoint } from './savepoint.js';
export { transactionRetryingUniqueRaces } from './unique-race.js';
export { migrateToLatest, pendingMigrations } from './migrate.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface Store {
  readonly dialect: StoreDialect;
  readonly db: Db;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * `postgres://…` or `postgresql://…` opens PostgreSQL; `sqlite:PATH`, a bare path or nothing
 * opens an SQLite file (default `./data/firebreak.db`).
 */
export function openStore(databaseUrl: string | undefined, options: { poolSize?: number; sqliteFsync?: FsyncFn } = {}): Store {
  const url = databaseUrl?.trim() || 'sqlite:./data/firebreak.db';
  const dialect = /^postgres(ql)?:\/\//.test(url)
    ? openPostgres(url, options)
    : openSqlite(url.replace(/^sqlite:(\/\/)?/, '') || './data/firebreak.db', { fsync: options.sqliteFsync });
  return {
    dialect,
    db: dialect.db,
    transaction: (work) => runTransaction(dialect.db, work),
    close: () => dialect.close(),
  };
}
