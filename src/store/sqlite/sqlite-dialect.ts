import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import type { Database } from '../schema.js';
import { DurableSqliteDialect } from './durable-sqlite-driver.js';
import { createSqliteAlertWriter } from './sqlite-alert-writer.js';
import { createSqlitePagingWriter } from './sqlite-paging-writer.js';
import { forgetValueSamples } from './value-samples.js';
import { WalSync, type FsyncFn } from './wal-sync.js';

const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Errors a retry may get past: a lock held too long, a full disk, an I/O error (the failed WAL
 * fsync of wal-sync.ts is SQLITE_IOERR_FSYNC), and SQLITE_ABORT, which a statement gets when
 * one of those made SQLite roll its transaction back.
 */
const TRANSIENT_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_ABORT'];

export interface SqliteOptions {
  /** Replaces the WAL fsync (tests hold it to check that nothing is answered before it). */
  fsync?: FsyncFn;
}

/**
 * SQLite is the zero-setup store: one file, WAL. A commit that was answered survives a power
 * cut, not only a process crash: `synchronous=NORMAL` plus an fsync of the WAL after every
 * commit on the libuv threadpool, awaited before the caller continues (wal-sync.ts), which is
 * what `synchronous=FULL` does but without blocking the event loop. Single instance by design.
 */
export function openSqlite(filename: string, options: SqliteOptions = {}): StoreDialect {
  const path = filename === ':memory:' ? filename : resolve(filename);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const native = new SQLite(path);
  const journal = String(native.pragma('journal_mode = WAL', { simple: true }));
  // Only a WAL database can move its commit sync off the event loop; anything else keeps FULL.
  const walSync = journal === 'wal' ? new WalSync(path, options.fsync) : null;
  native.pragma(walSync ? 'synchronous = NORMAL' : 'synchronous = FULL');
  // A checkpoint still runs inside a COMMIT on the event loop, with two fsyncs (WAL, then the
  // database). Every 10,000 pages (~40 MB of WAL) instead of SQLite's 1,000 makes them ten
  // times rarer, and a page rewritten by many commits is copied back once.
  native.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  native.pragma('foreign_keys = ON');
  native.pragma('busy_timeout = 5000');
  // One plan per prepared statement, whatever ANALYZE was run before (value-samples.ts).
  forgetValueSamples(native);
  const db = new Kysely<Database>({ dialect: new DurableSqliteDialect(native, walSync) });
  return {
    name: 'sqlite',
    db,
    // One batch at a time: the next batch gathers every request parsed during this one's fsync
    // (which no longer blocks the loop), so batches stay large. Two in flight did not pay: the
    // same throughput at 1 alert/request within the noise, and a higher p99 at 100/request in
    // 3 of 4 interleaved pairs (BENCHMARKS.md, 2026-12-03).
    pipelinedCommits: 1,
    // A batch is applied synchronously on the event loop: ~40 ms for 500 alerts here, during
    // which no request is read. With batches of up to 20,000, the 100-alerts/request benchmark
    // (50 connections) had a p99 of 1.6–2.2 s against a p50 of 0.33–0.36 s; at 500, 0.57–0.72 s,
    // for 10–20% less throughput (smaller batches rewrite the same index pages more often).
    // BENCHMARKS.md, 2026-12-03 (third session). 1 alert/request never fills it.
    maxIngestBatch: 500,
    databaseTime: null,
    snapshotRead: (work) => db.transaction().execute(work),
    indexOrdered: (on, work) => work(on),
    description: `sqlite:${path}`,
    alertWriter: createSqliteAlertWriter(native),
    pagingWriter: createSqlitePagingWriter(native),
    forUpdate: (q) => q,
    forUpdateSkipLocked: (q) => q,
    isUniqueViolation: (e) => e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
      (e instanceof Error && 'code' in e && (e as { code: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY'),
    isTransient: (e) => e instanceof Error && 'code' in e && TRANSIENT_CODES.some((c) => String((e as { code: unknown }).code).startsWith(c)),
    close: () => db.destroy(),
  };
}
