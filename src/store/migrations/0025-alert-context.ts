import type { Kysely } from 'kysely';

/**
 * What the incident page shows of its alerts, kept at ingest (issue 15): the alert's links,
 * images, custom_details and tags as bounded JSON (`alerts.context`, null when there are none),
 * and the title a group last gave its incident (`alert_groups.title`), so a later alert renames
 * the incident only while nobody has retitled it by hand.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('context', 'text').execute();
  await db.schema.alterTable('alert_groups').addColumn('title', 'text').execute();
}
