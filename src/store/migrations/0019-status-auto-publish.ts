import type { Kysely } from 'kysely';

/**
 * Auto-publish per severity (issue 12).
 * - `status_pages.auto_publish`: JSON {severities: {severity key: 'draft' | 'publish'}, title,
 *   body} (Liquid templates of the public title and first update); '{}' (the default): off.
 * - `public_incidents.draft`: 1 while an auto-made public incident waits for its one click;
 *   a draft is never served on the public surface.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('status_pages').addColumn('auto_publish', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  await db.schema.alterTable('public_incidents').addColumn('draft', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
