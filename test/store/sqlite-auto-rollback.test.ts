import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openStore, type Store } from '../../src/store/index.js';

/**
 * On a full disk (or an I/O error) SQLite rolls the whole transaction back by itself. The store
 * must then report that error, not "cannot rollback - no transaction is active", and a caller
 * that caught it and went on must not write outside its transaction (autocommit).
 */
describe('SQLite rolling a transaction back by itself', () => {
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firebreak-rollback-'));
    store = openStore(`sqlite:${join(dir, 'test.db')}`);
    await migrateToLatest(store.dialect);
    // "Full": every write that needs a new page fails with SQLITE_FULL.
    const free = (await sql<{ n: number }>`select freelist_count as n from pragma_freelist_count`.execute(store.db)).rows[0]!.n;
    await sql.raw(`create table filler as select randomblob(${(free + 1) * 4096}) as b`).execute(store.db);
    const pages = (await sql<{ n: number }>`select page_count as n from pragma_page_count`.execute(store.db)).rows[0]!.n;
    await sql.raw(`pragma max_page_count = ${pages}`).execute(store.db);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the transaction with the real, retryable cause and writes nothing after it', async () => {
    const attempt = store.transaction(async (tx) => {
      try {
        await sql`insert into filler values (randomblob(100000))`.execute(tx);
      } catch {
        // A caller with a fallback goes on in the same transaction.
      }
      await tx.insertInto('job_leases').values({ name: 'written-after-the-error', holder: null, held_until: 0 }).execute();
    });
    const error = await attempt.then(() => null, (e: unknown) => e as Error & { code?: string });
    expect(error).not.toBeNull();
    expect(error!.message).not.toMatch(/cannot (rollback|commit)/);
    expect(error!.code).toBe('SQLITE_FULL');
    expect(store.dialect.isTransient(error)).toBe(true);
    expect(await store.db.selectFrom('job_leases').select('name').where('name', '=', 'written-after-the-error').executeTakeFirst()).toBeUndefined();
    expect(store.health.failing?.cause).toMatch(/full/);
  });
});
