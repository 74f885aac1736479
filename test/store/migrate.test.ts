import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
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

describe('a migration that fails half-way', () => {
  it.each(DIALECTS)('leaves a %s database as it was, and the next start applies it whole', async (dialect) => {
    const db = await createTestDatabase(dialect);
    let failing = true;
    const extra = {
      ...MIGRATIONS,
      '9998-first-step': { up: async (k: Kysely<any>) => { await k.schema.createTable('t_first').addColumn('id', 'integer').execute(); } },
      '9999-second-step': {
        up: async (k: Kysely<any>) => {
          await k.schema.createTable('t_second').addColumn('id', 'integer').execute();
          await k.insertInto('t_second').values({ id: 1 }).execute();
          if (failing) throw new Error('disk full');
        },
      },
    };
    try {
      await expect(migrateToLatest(db.store.dialect, extra)).rejects.toThrow(/migration failed: disk full/);
      const tables = async () => (await db.store.db.introspection.getTables()).map((t) => t.name);
      expect(await tables()).not.toContain('t_first');
      expect(await tables()).not.toContain('t_second');
      const recorded = await db.store.db.selectFrom('firebreak_migrations' as never).select('name' as never).execute();
      expect(recorded.map((r) => (r as { name: string }).name)).not.toContain('9998-first-step');

      failing = false;
      expect((await migrateToLatest(db.store.dialect, extra)).applied).toEqual(['9998-first-step', '9999-second-step']);
      expect(await tables()).toEqual(expect.arrayContaining(['t_first', 't_second']));
    } finally {
      await db.drop();
    }
  });
});
