import pg from 'pg';
import { migrateToLatest, openStore } from '../../src/store/index.js';
import { DIALECTS, TEMPLATE_DB, TEST_PG_URL, pgUrlFor } from './dialects.js';

/** Builds the migrated template database once per run; suites clone it. */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.FIREBREAK_TEST_TEMPLATE = TEMPLATE_DB;
  if (!DIALECTS.includes('postgres')) return async () => {};
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`PostgreSQL is required for the test suite at ${TEST_PG_URL} (set FIREBREAK_TEST_PG_URL, or FIREBREAK_TEST_DIALECTS=sqlite to run without it): ${(e as Error).message}`);
  }
  try {
    // Leftovers of killed runs would otherwise pile up; a run still alive keeps its own.
    const stale = await client.query<{ datname: string }>("select datname from pg_database where datname like 'firebreak_t_%' or datname like 'firebreak_tpl_%'");
    for (const row of stale.rows) {
      const pid = Number(/^firebreak_(?:t|tpl)_(\d+)/.exec(row.datname)?.[1]);
      if (pid && pid !== process.pid && isAlive(pid)) continue;
      await client.query(`drop database if exists ${row.datname} with (force)`);
    }
    await client.query(`create database ${TEMPLATE_DB}`);
  } finally {
    await client.end();
  }
  const store = openStore(pgUrlFor(TEMPLATE_DB), { poolSize: 1 });
  await migrateToLatest(store.dialect);
  await store.close();
  return async () => {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    await c.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await c.end();
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
