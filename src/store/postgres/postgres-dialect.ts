import { createRequire } from 'node:module';
import type pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import type { Database } from '../schema.js';
import { createPostgresAlertWriter } from './postgres-alert-writer.js';
import { createPostgresPagingWriter } from './postgres-paging-writer.js';

const TRANSIENT_SQLSTATE = /^(08|53|57P0|40001|40P01)/;

/** The driver, loaded when a PostgreSQL store is opened: an SQLite server never needs its ~3 MB. */
function loadPg(): typeof pg {
  const driver = createRequire(import.meta.url)('pg') as typeof pg;
  // int8 columns hold epoch milliseconds and counters, all far below 2^53: read them as numbers.
  driver.types.setTypeParser(20, (v) => Number(v));
  return driver;
}

export interface PostgresTimeouts {
  /** Opening a connection, and waiting for a free one of the pool. */
  connectMs: number;
  /**
   * One statement: the server cancels it (`statement_timeout`); the client gives up a second
   * later and drops the connection. 0: no bound.
   */
  statementMs: number;
}

/**
 * Without timeouts from the caller (the CLI's `migrate`, `audit verify`, tests): statements are
 * not bounded, since a deliberate long migration or a full chain check must be allowed to
 * finish. The server passes its own (FIREBREAK_DB_*_TIMEOUT_MS, env-config.ts).
 */
const UNBOUNDED_STATEMENTS: PostgresTimeouts = { connectMs: 5_000, statementMs: 0 };

/**
 * A client that drops its connection when a statement's client-side deadline passes. Only a
 * database that does not answer at all gets there (a slow one is cancelled by the server a
 * second earlier), and pg leaves that statement in flight: every later query on the connection
 * would queue behind it, and the pool would keep lending it out. Destroyed, it fails at once
 * and the pool replaces it.
 */
function boundedClient(pg: typeof import('pg').default): typeof pg.Client {
  return class BoundedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // The pool listens only while a client is idle: a connection dropped while lent out (above)
      // must not crash the process. The query in flight gets the error; the pool drops the client.
      this.on('error', () => {});
    }

    override query(...args: unknown[]): never {
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (result instanceof Promise) {
        return result.catch((error: unknown) => {
          if (error instanceof Error && error.message === 'Query read timeout') {
            (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
          }
          throw error;
        }) as never;
      }
      return result as never;
    }
  } as typeof pg.Client;
}

export function openPostgres(connectionString: string, options: { poolSize?: number; timeouts?: Partial<PostgresTimeouts> } = {}): StoreDialect {
  const pg = loadPg();
  const timeouts = { ...UNBOUNDED_STATEMENTS, ...options.timeouts };
  // A black-holed database must not hang a request: with the server's timeouts every wait is
  // bounded, so each request gets a retryable 503 within about connectMs + statementMs.
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    Client: boundedClient(pg),
    connectionTimeoutMillis: timeouts.connectMs,
    ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs, query_timeout: timeouts.statementMs + 1_000 } : {}),
    // Finds a dead peer under an idle connection instead of waiting for the OS's two hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const url = new URL(connectionString);
  return {
    name: 'postgres',
    db,
    alertWriter: createPostgresAlertWriter(),
    pagingWriter: createPostgresPagingWriter(),
    pipelinedCommits: 1,
    // A batch here mostly waits on round trips, with the loop free: fewer, larger batches pay.
    // 500 measured a worse p99 at 100 alerts/request (1.5–2.0 s against 1.1–1.2 s at 20,000).
    maxIngestBatch: 20_000,
    // clock_timestamp(), not now(): now() is the start of the transaction.
    databaseTime: async () => Number((await sql<{ now: number }>`select extract(epoch from clock_timestamp()) * 1000 as now`.execute(db)).rows[0]!.now),
    description: `postgres://${url.hostname}:${url.port || 5432}${url.pathname}`,
    forUpdate: (q) => q.forUpdate(),
    snapshotRead: (work) => db.transaction().setIsolationLevel('repeatable read').execute(work),
    // BEGIN and SET LOCAL in one round trip (a statement without parameters goes as a simple
    // query, which may hold several). Without sorts, the only way to an ordered LIMIT is an index.
    indexOrdered: (on, work) => on.connection().execute(async (conn) => {
      await sql.raw('begin; set local enable_sort = off').execute(conn);
      try {
        const result = await work(conn);
        await sql.raw('commit').execute(conn);
        return result;
      } catch (e) {
        await sql.raw('rollback').execute(conn).catch(() => {});
        throw e;
      }
    }),
    forUpdateSkipLocked: (q) => q.forUpdate().skipLocked(),
    isUniqueViolation: (e) => e instanceof Error && (e as { code?: unknown }).code === '23505',
    isTransient: (e) => {
      const code = (e as { code?: unknown } | null)?.code;
      if (typeof code === 'string') return TRANSIENT_SQLSTATE.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code);
      // pg's own: "timeout exceeded when trying to connect", "Query read timeout",
      // "Connection terminated unexpectedly", "Client was closed and is not queryable".
      return e instanceof Error && /timeout|terminat|Connection|not queryable/i.test(e.message);
    },
    close: () => db.destroy(),
  };
}
