import type { Kysely, Transaction } from 'kysely';
import { silentLogger, type Logger } from '../core/logger.js';
import { runTransaction } from './after-commit.js';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';
import { openPostgres, type PostgresTimeouts } from './postgres/postgres-dialect.js';
import { openSqlite } from './sqlite/sqlite-dialect.js';
import type { FsyncFn } from './sqlite/wal-sync.js';
import { StoreHealth } from './store-health.js';

export type { StoreDialect } from './dialect.js';
export type { Database } from './schema.js';
export { afterCommit, beforeCommit } from './after-commit.js';
export { withSavepoint } from './savepoint.js';
export { transactionRetryingUniqueRaces } from './unique-race.js';
export { migrateToLatest, pendingMigrations } from './migrate.js';
export { StoreHealth, type StoreCheck } from './store-health.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface Store {
  readonly dialect: StoreDialect;
  readonly db: Db;
  /** Whether calls fail because the database is unavailable; `/health` and `/ready` read it. */
  readonly health: StoreHealth;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  poolSize?: number;
  sqliteFsync?: FsyncFn;
  /** PostgreSQL: connect/pool-acquire and statement timeouts (defaults in postgres-dialect.ts). */
  postgresTimeouts?: Partial<PostgresTimeouts>;
  /** Where the store says that the database is failing, and that it recovered. */
  log?: Logger;
}

/**
 * `postgres://…` or `postgresql://…` opens PostgreSQL; `sqlite:PATH`, a bare path or nothing
 * opens an SQLite file (default `./data/firebreak.db`).
 */
export function openStore(databaseUrl: string | undefined, options: OpenStoreOptions = {}): Store {
  const url = databaseUrl?.trim() || 'sqlite:./data/firebreak.db';
  const dialect = /^postgres(ql)?:\/\//.test(url)
    ? openPostgres(url, { ...(options.poolSize ? { poolSize: options.poolSize } : {}), ...(options.postgresTimeouts ? { timeouts: options.postgresTimeouts } : {}) })
    : openSqlite(url.replace(/^sqlite:(\/\/)?/, '') || './data/firebreak.db', { fsync: options.sqliteFsync });
  const health = new StoreHealth({ db: dialect.db, dialect: dialect.name, isTransient: (e) => dialect.isTransient(e), log: options.log ?? silentLogger });
  return {
    dialect,
    db: dialect.db,
    health,
    transaction: async (work) => {
      try {
        const result = await runTransaction(dialect.db, work);
        health.reportSuccess();
        return result;
      } catch (error) {
        health.reportFailure(error);
        throw error;
      }
    },
    close: () => dialect.close(),
  };
}
