import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { MIGRATIONS } from '../../src/store/migrate.js';
import { migrateToLatest, openStore, pendingMigrations } from '../../src/store/index.js';
import { DIALECTS, TEST_PG_URL, createTestDatabase, pgUrlFor } from '../helpers/dialects.js';

describe('migrations', () => {
  if (DIALECTS.includes('postgres')) it('two instances migrating an empty PostgreSQL database at once both succeed, once', async () => {
    const name = `firebreak_t_${process.pid}_mig_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const a = openStore(pgUrlFor(name));
    const b = openStore(pgUrlFor(name));
    try {
      const [ra, rb] = await Promise.all([migrateToLatest(a.dialect), migrateToLatest(b.dialect)]);
      // Exactly one of them applied each migration; the other found nothing to do.
      expect([...ra.applied, ...rb.applied].sort()).toEqual(Object.keys(MIGRATIONS).sort());
      expect(await pendingMigrations(a.dialect)).toEqual([]);
      const rows = await sql<{ n: number }>`select count(*)::int as n from firebreak_migrations`.execute(a.db);
      expect(rows.rows[0]!.n).toBe(Object.keys(MIGRATIONS).length);
    } finally {
      await a.close();
      await b.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it.each(DIALECTS)('re-running on a current %s database applies nothing', async (dialect) => {
    const db = await createTestDatabase(dialect);
    try {
      expect((await migrateToLatest(db.store.dialect)).applied).toEqual([]);
      expect(await pendingMigrations(db.store.dialect)).toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
