import type { Kysely } from 'kysely';

/**
 * Scheduled maintenance on status pages (issue 12, "Scheduled maintenance as one object").
 * - `scheduled_maintenances`: one window on one page: public name and Markdown description,
 *   `scheduled_for`/`scheduled_until`, status scheduled → in_progress → verifying → completed
 *   (or cancelled), affected `components` (JSON [component id] of the same page), alert
 *   `matchers` (JSON [LabelMatcher]) and `services` (JSON [service id]) to hold while it runs;
 *   `silence_id`/`window_id` are the real silence and alert maintenance window it created at
 *   start (ended with it). `remind_minutes` before the start the reminder announcement is due.
 * - `scheduled_maintenance_updates`: its public updates (Statuspage's `incident_updates`).
 * - `maintenance_announcements`: one row per transition subscribers are to be told about
 *   (scheduled, reminder, started, completed, cancelled); unique per kind, so a timer run twice
 *   announces once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scheduled_maintenances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('status_pages.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'bigint', (c) => c.notNull())
    .addColumn('scheduled_until', 'bigint', (c) => c.notNull())
    .addColumn('remind_minutes', 'integer')
    .addColumn('components', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('matchers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('services', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('silence_id', 'text')
    .addColumn('window_id', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scheduled_maintenances_page').on('scheduled_maintenances').columns(['page_id', 'scheduled_for']).execute();

  await db.schema
    .createTable('scheduled_maintenance_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('maintenance_id', 'text', (c) => c.notNull().references('scheduled_maintenances.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scheduled_maintenance_updates_m').on('scheduled_maintenance_updates').columns(['maintenance_id', 'created_at']).execute();

  await db.schema
    .createTable('maintenance_announcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('maintenance_id', 'text', (c) => c.notNull().references('scheduled_maintenances.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('maintenance_announcements_kind', ['maintenance_id', 'kind'])
    .execute();
}
