import type { Kysely } from 'kysely';

/**
 * "Escalate if not resolved in 15 minutes" (issue 14): a policy's `ifUnresolved` entries, JSON,
 * paged on their own clock whether or not the incident was acknowledged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('escalation_policies').addColumn('if_unresolved', 'text').execute();
}
