import { sql } from 'kysely';
// @ts-expect-error -- the bench's generator is plain JavaScript without type declarations
import { historyStatements } from '../../bench/lib/history-sql.mjs';
import type { Ctx } from '../../src/domain/context.js';
import { ensureDefaults } from '../../src/domain/bootstrap.js';
import type { TestDatabase } from '../helpers/dialects.js';

/** The bench generator's sizes (bench/lib/history-sql.mjs). */
export interface HistorySizes {
  incidents: number;
  alertsPerIncident: number;
  eventsPerIncident: number;
  services: number;
  years: number;
  bigTimeline: number;
}

/** The defaults (admin, severities), then a generated history ending at `end`, written by the bench's generator. */
export async function seedHistory(t: TestDatabase, ctx: Ctx, sizes: HistorySizes, end: number): Promise<void> {
  await ensureDefaults({ ctx, input: { adminEmail: 'admin@example.test' } });
  const severities = await t.store.db.selectFrom('severities').selectAll().execute();
  const { sql: statements } = historyStatements(t.dialect, sizes, { end, severities }) as { sql: string[] };
  // One connection: the generator's work tables are temporary.
  await t.store.db.connection().execute(async (db) => {
    for (const statement of statements) await sql.raw(statement).execute(db);
  });
}
