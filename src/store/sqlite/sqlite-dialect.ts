import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import type { Database } from '../schema.js';
import { createSqliteAlertWriter } from './sqlite-alert-writer.js';
import { createSqlitePagingWriter } from './sqlite-paging-writer.js';

/**
 * SQLite is the zero-setup store: one file, WAL, `synchronous=FULL` so a commit that was
 * answered survives a power cut, not only a process crash. Single instance by design.
 */
export function openSqlite(filename: string): StoreDialect {
  const path = filename === ':memory:' ? filename : resolve(filename);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const native = new SQLite(path);
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = FULL');
  native.pragma('foreign_keys = ON');
  native.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
  return {
    name: 'sqlite',
    db,
    description: `sqlite:${path}`,
    alertWriter: createSqliteAlertWriter(native),
    pagingWriter: createSqlitePagingWriter(native),
    forUpdate: (q) => q,
    forUpdateSkipLocked: (q) => q,
    isUniqueViolation: (e) => e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
      (e instanceof Error && 'code' in e && (e as { code: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY'),
    isTransient: (e) => e instanceof Error && 'code' in e && ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL'].some((c) => String((e as { code: unknown }).code).startsWith(c)),
    close: () => db.destroy(),
  };
}
