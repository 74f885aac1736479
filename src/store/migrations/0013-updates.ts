import type { Kysely } from 'kysely';

/**
 * Stakeholder updates (issue 12).
 * - `incident_updates`: one row per update posted on an incident, with the "next update by"
 *   deadline it promised (null: none, e.g. after a resolution). The latest row's deadline is the
 *   one the cadence timer (`update_due:<incident>`) watches.
 * - `update_templates`: Liquid templates per kind and audience ('' = any audience).
 * - `deliveries.priority`: the lane. 0 = pages (escalation), 1 = reminders and stakeholder
 *   traffic; the worker claims lower numbers first, so a page never waits behind a newsletter.
 *   A default, so the hot insert paths that do not name the column write pages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('audiences', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'bigint', (c) => c.notNull())
    .addColumn('next_update_by', 'bigint')
    .execute();
  await db.schema.createIndex('incident_updates_incident').on('incident_updates').columns(['incident_id', 'posted_at']).execute();

  await db.schema
    .createTable('update_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('managed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('update_templates_kind_audience', ['kind', 'audience'])
    .execute();

  await db.schema.alterTable('deliveries').addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
