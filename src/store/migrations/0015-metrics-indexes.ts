import type { Kysely } from 'kysely';

/**
 * The incident report (issue 13) selects incidents by detection time and pages by purpose and
 * queue time; without these both are full scans of tables that grow for years.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('incidents_detected').on('incidents').column('detected_at').execute();
  await db.schema.createIndex('deliveries_purpose_created').on('deliveries').columns(['purpose', 'created_at']).execute();
}
