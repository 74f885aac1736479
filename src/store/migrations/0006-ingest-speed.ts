import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Ingestion speed (issue 3). Every index on `alerts` is paid by every insert, so the indexes
 * that only serve some rows become partial and a new firing alert skips them:
 * - flap detection counts *resolved* alerts per key (`resolved_at >= ?` implies not null), so
 *   `alerts_key_resolved` covers resolved rows only; open-alert lookups use `alerts_open_key`;
 * - linking a group's pending alerts to its new incident looks for `incident_id is null`, the
 *   only query by `group_id`, so `alerts_group` covers unlinked rows only.
 * And the `alert_config` counter: bumped in the same transaction as any write to routing rules,
 * silences, maintenance windows or severities, read once per ingest batch to know whether the
 * in-process copy of them is still current (on every instance, since it is in the database).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('alerts_key_resolved').execute();
  await sql`create index alerts_key_resolved on alerts (integration_id, dedup_key, resolved_at) where resolved_at is not null`.execute(db);
  await db.schema.dropIndex('alerts_group').execute();
  await sql`create index alerts_group_unlinked on alerts (group_id) where incident_id is null`.execute(db);
  await db.insertInto('counters').values({ name: 'alert_config', value: 0 }).execute();
}
