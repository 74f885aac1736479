import { SqliteAdapter, type Kysely } from 'kysely';
import { createReportDayTriggersPostgres } from '../postgres/report-day-triggers.js';
import { createReportDayTriggersSqlite } from '../sqlite/report-day-triggers.js';

/**
 * The incident report's cache of settled days (store/report-days.ts): the cached facts, the
 * per-day versions, and the triggers that bump a version when a settled day's rows change.
 * Nothing is cached here: the first report over a range builds its days.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('report_days')
    .addColumn('day', 'bigint', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('format', 'integer', (c) => c.notNull())
    .addColumn('built_at', 'bigint', (c) => c.notNull())
    .addColumn('data', sqlite ? 'blob' : 'bytea', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('report_day_changes')
    .addColumn('day', 'bigint', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  if (sqlite) await createReportDayTriggersSqlite(db);
  else await createReportDayTriggersPostgres(db);
}
