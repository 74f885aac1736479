import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../core/logger.js';
import type { Database } from './schema.js';
import { StoreHealth } from './store-health.js';

function setup() {
  let queries = 0;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }), log: (e) => { if (e.level === 'query') queries += 1; } });
  const lines: string[] = [];
  const log: Logger = { info: (_c, m) => void lines.push(`info ${m}`), warn: (_c, m) => void lines.push(`warn ${m}`), error: (_c, m) => void lines.push(`error ${m}`) };
  let now = 1_000_000;
  const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  const health = new StoreHealth({ db, dialect: 'sqlite', isTransient: (e) => (e as { code?: string }).code === 'SQLITE_FULL', log, now: () => now, logIntervalMs: 60_000, cacheMs: 1_500 });
  return { db, health, lines, full: () => Object.assign(new Error(full.message), { code: full.code }), queries: () => queries, advance: (ms: number) => { now += ms; } };
}

describe('StoreHealth', () => {
  it('checks with one cheap query, shared by concurrent callers and cached briefly', async () => {
    const s = setup();
    const checks = await Promise.all(Array.from({ length: 20 }, () => s.health.check()));
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(s.queries()).toBe(1);
    await s.health.check();
    expect(s.queries()).toBe(1);
    s.advance(1_500);
    await s.health.check();
    expect(s.queries()).toBe(2);
  });

  it('logs an unavailable database once per interval, counts each error once, and says when it recovered', async () => {
    const s = setup();
    await sql`create table job_leases (name text primary key, holder text, held_until integer not null)`.execute(s.db);
    const first = s.full();
    expect(s.health.reportFailure(first)).toBe(true);
    expect(s.health.reportFailure(first)).toBe(true);
    for (let i = 0; i < 50; i += 1) s.health.reportFailure(s.full());
    expect(s.health.reportFailure(new Error('a bug'))).toBe(false);
    expect(s.lines).toEqual(['error the database is failing: requests are answered 503 with Retry-After until it recovers']);
    expect(s.health.failing).toMatchObject({ count: 51, cause: 'SQLITE_FULL: database or disk is full' });
    s.advance(60_000);
    s.health.reportFailure(s.full());
    expect(s.lines).toHaveLength(2);
    expect(s.lines[1]).toBe('error the database is still failing');
    // Fresh failures are believed over the check's own write...
    expect((await s.health.check()).ok).toBe(false);
    // ...which, once nothing has failed for a while, succeeds: recovered, and green.
    s.advance(5_000);
    const check = await s.health.check();
    expect(check).toEqual({ ok: true, detail: 'sqlite' });
    expect(s.lines[2]).toBe('info the database recovered');
    expect(s.health.failing).toBeNull();
  });

  it('reports a check that takes too long as not answering', async () => {
    const s = setup();
    const never = new Promise<never>(() => {});
    await expect(s.health.bounded(never, 'the database', 50)).rejects.toThrow('the database did not answer within 50 ms');
  });
});
