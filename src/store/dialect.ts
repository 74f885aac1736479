import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import type { AlertBatchWriter } from './alert-batch-writer.js';
import type { PagingBatchWriter } from './paging-batch-writer.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The only place the two databases differ. Everything outside `store/sqlite` and
 * `store/postgres` is dialect-agnostic Kysely; what is not portable goes through this.
 */
export interface StoreDialect {
  readonly name: DialectName;
  readonly db: Kysely<Database>;
  /** Row lock for read-modify-write inside a transaction. SQLite has one writer, so a no-op. */
  forUpdate<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /** Claim rows other workers hold without waiting for them (PostgreSQL `SKIP LOCKED`). */
  forUpdateSkipLocked<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /** True when the error is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /** True when the error means the database is unreachable or overloaded, worth a retry. */
  isTransient(error: unknown): boolean;
  /** The hot statements of alert ingestion, written the fastest way for this database. */
  readonly alertWriter: AlertBatchWriter;
  /** The hot statements of escalation steps and delivery results, batched per group. */
  readonly pagingWriter: PagingBatchWriter;
  /**
   * How many group-commit transactions may be in flight at once. 1 on both: on PostgreSQL two
   * concurrent batches would race each other on the same keys; on SQLite a second batch
   * during the previous one's WAL fsync measured slower (smaller batches), see sqlite-dialect.ts.
   */
  readonly pipelinedCommits: number;
  /**
   * Most alerts (signals and updates) one ingest group-commit transaction takes; a larger
   * backlog commits in several. Small on SQLite, whose batch runs synchronously on the event
   * loop; large on PostgreSQL, whose batch mostly waits on round trips (see each dialect).
   */
  readonly maxIngestBatch: number;
  /**
   * Reads the database server's clock (epoch ms). Several instances share one database and
   * must agree on when a timer is due, whatever their hosts' clocks say (app/clock-sync.ts).
   * Null on SQLite: one instance, one clock.
   */
  readonly databaseTime: (() => Promise<number>) | null;
  /**
   * Runs `work` in a transaction whose reads all see one snapshot of the database (PostgreSQL
   * REPEATABLE READ; SQLite's deferred transaction, a WAL read snapshot), for a read that must
   * be consistent across statements (report-day-cache.ts reads a day's version and its rows).
   */
  snapshotRead<T>(work: (tx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs `work`, a claim of the first few rows of a queue by `ORDER BY … LIMIT`, so that the
   * planner reads them in an index's order and stops, instead of fetching every matching row and
   * sorting them. PostgreSQL picks between the two on its row estimate, and a fan-out's rows,
   * queued seconds before, are not in it: a bulk claim of 8 then read and sorted ~8,000 rows, 5 ms
   * each (BENCHMARKS.md). PostgreSQL: one transaction with sorting off (`SET LOCAL`), so the
   * index's order is the only plan left; SQLite: `work` as it is (its plan does not move). `db` is
   * the store's (or a wrapper of it, such as a test's statement recorder).
   */
  indexOrdered<T>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Human description without credentials, for logs and `/ready`. */
  readonly description: string;
  close(): Promise<void>;
}
