import type { Kysely } from 'kysely';

/**
 * `deliveries.send_started_at`: when the current attempt was cleared to go to the network (issue
 * 11). The worker sets it in one conditional statement per batch just before sending, only while
 * the row is still its claim and, for an escalation page, the incident is still triggered; an
 * acknowledgement or resolve cancels every page whose attempt has not started, claimed or not.
 * Cleared by every claim and release. Null on rows written before this migration: correct, since
 * no attempt of theirs is under way.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('send_started_at', 'bigint').execute();
}
