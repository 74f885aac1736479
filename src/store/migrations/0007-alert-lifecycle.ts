import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Alert lifecycle jobs (issue 3):
 * - `change_events`: PagerDuty change events (deploys, config changes), kept per service so an
 *   incident can show what changed before it opened. Ids are ULIDs of the receive time, so
 *   retention is a primary-key range delete, like `raw_payloads`.
 * - `alerts.ends_at`: when an Alertmanager-API alert expires unless re-posted (its `endsAt`, or
 *   receipt + resolve_timeout). The expiry index is partial: only open alerts with an expiry,
 *   so alerts of every other format, and resolved ones, never pay for it.
 * - `job_leases`: one row per periodic job; an instance runs the job only while it holds the
 *   lease, so several instances on one PostgreSQL do not repeat each other's sweeps.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('change_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('links', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('raw_payload_id', 'text')
    .execute();
  await db.schema.createIndex('change_events_service').on('change_events').columns(['service_id', 'occurred_at']).execute();

  await db.schema.alterTable('alerts').addColumn('ends_at', 'bigint').execute();
  await sql`create index alerts_expiry on alerts (ends_at) where ends_at is not null and status <> 'resolved'`.execute(db);

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text')
    .addColumn('held_until', 'bigint', (c) => c.notNull())
    .execute();
}
