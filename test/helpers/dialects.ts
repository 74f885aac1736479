import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openStore, type Store } from '../../src/store/index.js';

/**
 * Every store-touching suite runs once per database, kysely-style. PostgreSQL is required unless
 * FIREBREAK_TEST_DIALECTS=sqlite says otherwise, so a missing server fails loudly instead of
 * skipping. Each suite gets its own database cloned from a migrated template (graphile-worker's
 * trick): isolated and fast.
 */
export type DialectName = 'sqlite' | 'postgres';

export const TEST_PG_URL = process.env.FIREBREAK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Per run, so concurrent runs (two developers, or CI beside a dev session) never share one. */
export const TEMPLATE_DB = process.env.FIREBREAK_TEST_TEMPLATE ?? `firebreak_tpl_${process.pid}`;

export const DIALECTS: DialectName[] = (process.env.FIREBREAK_TEST_DIALECTS ?? 'sqlite,postgres')
  .split(',')
  .map((d) => d.trim())
  .filter((d): d is DialectName => d === 'sqlite' || d === 'postgres');

export function pgUrlFor(database: string): string {
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  dialect: DialectName;
  url: string;
  store: Store;
  /** Opens another store on the same database (a second instance). */
  openAnother(): Store;
  drop(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const store = openStore(url);
    await migrateToLatest(store.dialect);
    const extra: Store[] = [];
    return {
      dialect, url, store,
      openAnother: () => { const s = openStore(url); extra.push(s); return s; },
      drop: async () => {
        await Promise.all([store, ...extra].map((s) => s.close()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const runPid = /_(\d+)$/.exec(TEMPLATE_DB)?.[1] ?? String(process.pid);
  const name = `firebreak_t_${runPid}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await adminQuery(`create database ${name} template ${TEMPLATE_DB}`);
  const url = pgUrlFor(name);
  const store = openStore(url, { poolSize: 5 });
  await migrateToLatest(store.dialect);
  const extra: Store[] = [];
  return {
    dialect, url, store,
    openAnother: () => { const s = openStore(url, { poolSize: 5 }); extra.push(s); return s; },
    drop: async () => {
      await Promise.all([store, ...extra].map((s) => s.close()));
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
