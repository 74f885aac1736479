import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openStore } from '../../src/store/index.js';

/**
 * ANALYZE's value samples (sqlite_stat4) make SQLite plan a prepared statement again on every run
 * with new values; on a large history that made each ingest look-up ten times slower. Opening the
 * database removes them and keeps the per-index figures the planner needs.
 */
describe('SQLite value samples', () => {
  let dir: string;
  let file: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'firebreak-samples-'));
    file = join(dir, 'test.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const count = async (store: ReturnType<typeof openStore>, statTable: string) =>
    (await sql<{ n: number }>`select count(*) as n from ${sql.table(statTable)} where tbl = 'counters'`.execute(store.db)).rows[0]!.n;

  it('are gone after the database is opened, and the per-index figures stay', async () => {
    const first = openStore(`sqlite:${file}`);
    await migrateToLatest(first.dialect);
    await sql`insert into counters (name, value) select 'sample-' || value, value from json_each(${JSON.stringify(Array.from({ length: 500 }, (_, i) => i))})`.execute(first.db);
    // What an operator's (or the history bench's) ANALYZE leaves behind.
    await sql`analyze`.execute(first.db);
    const analyzed = await count(first, 'sqlite_stat4');
    expect(analyzed).toBeGreaterThan(0);
    await first.close();

    const second = openStore(`sqlite:${file}`);
    expect(await count(second, 'sqlite_stat4')).toBe(0);
    expect(await count(second, 'sqlite_stat1')).toBe(1);
    await second.close();
    // With nothing left to remove, the next open still starts and keeps the figures.
    const third = openStore(`sqlite:${file}`);
    expect(await count(third, 'sqlite_stat1')).toBe(1);
    await third.close();
  });
});
