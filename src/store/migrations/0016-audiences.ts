import { PostgresAdapter, type Kysely } from 'kysely';
import { postgresDropReference } from '../postgres/drop-reference.js';
import { sqliteDropReference } from '../sqlite/drop-reference.js';

/**
 * Audiences (issue 12): who hears about an incident's stakeholder updates.
 * - `audience_groups` / `audience_group_members`: named internal groups; a member is an email
 *   address, a Slack incoming webhook, a signed generic webhook (with its secret), a user or a
 *   team (people are reached through their own contact methods).
 * - `audience_rules`: which groups hear about which incidents (JSON severity keys and service
 *   slugs; empty = any).
 * - `update_messages`: what one update says to one audience (its own body), so that a retry
 *   sends the same words however the update is edited later.
 * - `deliveries.update_id` / `.audience`: a delivery of an update; `contact_method_id` then holds
 *   a contact method or a group member id, so its foreign key to `contact_methods` goes (the
 *   worker already treats a vanished destination as "removed"). SQLite cannot drop a constraint:
 *   the table is rebuilt from its own stored definition, indexes included.
 * - `severities.comm_tasks`: JSON [{title, audience?, withinSeconds}], per-severity
 *   communication deadlines; `tasks.due_at` / `.audience`: such a task on an incident.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audience_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('managed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audience_group_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('audience_groups.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audience_group_members_group').on('audience_group_members').column('group_id').execute();

  await db.schema
    .createTable('audience_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('audience_groups.id').onDelete('cascade'))
    .addColumn('severities', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('services', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('managed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('update_messages')
    .addColumn('update_id', 'text', (c) => c.notNull().references('incident_updates.id').onDelete('cascade'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('update_messages_pk', ['update_id', 'audience'])
    .execute();

  await dropDeliveryDestinationKey(db);
  await db.schema.alterTable('deliveries').addColumn('update_id', 'text').execute();
  await db.schema.alterTable('deliveries').addColumn('audience', 'text').execute();
  await db.schema.createIndex('deliveries_update').on('deliveries').column('update_id').execute();

  await db.schema.alterTable('severities').addColumn('comm_tasks', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('tasks').addColumn('due_at', 'bigint').execute();
  await db.schema.alterTable('tasks').addColumn('audience', 'text').execute();
}

async function dropDeliveryDestinationKey(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await postgresDropReference(db, 'deliveries', 'contact_method_id');
  else await sqliteDropReference(db, 'deliveries', 'contact_method_id', 'contact_methods');
}
