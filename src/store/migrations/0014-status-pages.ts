import type { Kysely } from 'kysely';

/**
 * Status pages (issue 12).
 * - `status_pages`: one public page per slug, optionally also served for a custom host name;
 *   `severity_map` is JSON {severity key: component status} over the default mapping;
 *   `managed_by` 'config' when firebreak.yaml declares it (with its components).
 * - `status_components`: components and groups (`is_group` = 1; a component's `group_id` names
 *   its group; two levels only). `services` is JSON [service id]; `status_override` set by hand
 *   wins over the status derived from open incidents.
 * - `public_incidents` / `public_incident_updates`: what the public sees of an incident: its own
 *   name, impact and updates, never the internal record.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('status_pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('host_name', 'text', (c) => c.unique())
    .addColumn('severity_map', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('managed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('status_components')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('status_pages.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.references('status_components.id').onDelete('cascade'))
    .addColumn('is_group', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status_override', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_components_page').on('status_components').columns(['page_id', 'position']).execute();

  await db.schema
    .createTable('public_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('status_pages.id').onDelete('cascade'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('components', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('monitoring_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('public_incidents_page_incident', ['page_id', 'incident_id'])
    .execute();
  await db.schema.createIndex('public_incidents_page').on('public_incidents').columns(['page_id', 'started_at']).execute();

  await db.schema
    .createTable('public_incident_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('public_incident_id', 'text', (c) => c.notNull().references('public_incidents.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('public_incident_updates_incident').on('public_incident_updates').columns(['public_incident_id', 'created_at']).execute();
}
