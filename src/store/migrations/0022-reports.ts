import type { Kysely } from 'kysely';

/**
 * Reports at scale and on a schedule (issue 13).
 * Indexes: the incident list filtered by service or severity, newest first, walked an index of
 * every incident before (a quiet service read most of the table for one page); the report reads
 * incidents in (detected_at, id) order from one covering index (every column it needs, so a
 * year is read from the index alone, without a temporary sort; it replaces 0015's
 * incidents_detected, its prefix); the report for one service walks (service_id, detected_at); cadence adherence and time acknowledged read
 * timeline events by kind and time instead of every event of every incident in the range.
 * Tables: report schedules (from firebreak.yaml or the API) and one row per schedule and period,
 * the outbox that makes a restart neither skip nor repeat a report.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('incidents_service_declared').on('incidents').columns(['service_id', 'declared_at']).execute();
  await db.schema.createIndex('incidents_severity_declared').on('incidents').columns(['severity', 'declared_at']).execute();
  await db.schema
    .createIndex('incidents_report')
    .on('incidents')
    .columns(['detected_at', 'id', 'service_id', 'severity', 'is_drill', 'declared_at', 'acknowledged_at', 'mitigated_at', 'resolved_at', 'number'])
    .execute();
  await db.schema.dropIndex('incidents_detected').execute();
  await db.schema.createIndex('incidents_service_detected').on('incidents').columns(['service_id', 'detected_at']).execute();
  await db.schema.createIndex('timeline_kind_at').on('timeline_events').columns(['kind', 'at']).execute();

  await db.schema
    .createTable('report_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('every', 'text', (c) => c.notNull())
    .addColumn('range_days', 'integer')
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('managed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('report_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('report_schedules.id').onDelete('cascade'))
    .addColumn('period_start', 'bigint', (c) => c.notNull())
    .addColumn('period_end', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addUniqueConstraint('report_sends_period', ['schedule_id', 'period_start'])
    .execute();
  await db.schema.createIndex('report_sends_due').on('report_sends').columns(['status', 'next_attempt_at']).execute();
}
