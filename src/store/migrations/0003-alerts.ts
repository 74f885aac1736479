import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Alert ingestion: integrations (endpoints with their keys), alerts, the groups that tie alerts
 * to incidents, raw payloads, routing rules, silences and maintenance windows.
 *
 * `raw_payloads` is the hottest append table and has no secondary index on purpose: one on a
 * hot append table cut SQLite batch inserts 5–7× (DESIGN.md). Its ULID primary key is time
 * ordered, so retention pruning is a primary-key range delete.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_hint', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.references('services.id').onDelete('set null'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('managed_by', 'text')
    .addColumn('last_heartbeat_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alert_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text')
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('window_start_at', 'bigint', (c) => c.notNull())
    .addColumn('window_count', 'integer', (c) => c.notNull())
    .addColumn('open_alerts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // At most one live group per (scope, key): a second instance racing to open one fails the
  // unique check, its batch rolls back and the sender's retry joins the winner's group.
  await sql`create unique index alert_groups_live on alert_groups (scope, group_key) where state <> 'closed'`.execute(db);
  await db.schema.createIndex('alert_groups_incident').on('alert_groups').column('incident_id').execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('severity_raw', 'text')
    .addColumn('severity', 'text')
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('generator_url', 'text')
    .addColumn('runbook_url', 'text')
    .addColumn('group_key', 'text')
    .addColumn('group_id', 'text')
    .addColumn('service_id', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('suppressed_by', 'text')
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('flapping', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('raw_payload_id', 'text')
    .execute();
  // PagerDuty semantics: one *open* alert per key; after resolve the key is free for a new one.
  await sql`create unique index alerts_open_key on alerts (integration_id, dedup_key) where status <> 'resolved'`.execute(db);
  // Flap detection looks up recently resolved alerts with the same key; incident pages list alerts.
  await db.schema.createIndex('alerts_key_resolved').on('alerts').columns(['integration_id', 'dedup_key', 'resolved_at']).execute();
  await db.schema.createIndex('alerts_incident').on('alerts').column('incident_id').execute();
  await db.schema.createIndex('alerts_group').on('alerts').column('group_id').execute();

  await db.schema
    .createTable('raw_payloads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('routing_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'text')
    .addColumn('matchers', 'text', (c) => c.notNull())
    .addColumn('set_service_id', 'text')
    .addColumn('set_severity', 'text')
    .addColumn('drop_alert', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('managed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('silences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('matchers', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('silences_ends').on('silences').column('ends_at').execute();

  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_ids', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('maintenance_ends').on('maintenance_windows').column('ends_at').execute();
}
