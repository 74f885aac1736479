import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * Status page subscribers (issue 12).
 * - `status_subscribers`: one e-mail address or webhook URL per page and kind (`address_key` is
 *   the address as compared: lower-cased e-mail). `token` is the random secret in the confirm
 *   and unsubscribe links (no account needed); `secret` the webhook's signing key (shown once);
 *   `components` JSON [component id] (empty: the whole page); `confirmed_at` null until the
 *   double opt-in link is followed (webhooks added by an admin are confirmed at once).
 * - `subscriber_notifications`: one row per thing subscribers are told (an incident update, a
 *   component status change; later a maintenance announcement) with the snapshot every
 *   message is rendered from. Expanded into deliveries in batches by the durable timer
 *   `subscribers:<id>` (`cursor`: the last subscriber id expanded), never in the request.
 * - `deliveries.subscriber_id`: a delivery to a subscriber instead of a user's contact method,
 *   so `deliveries.contact_method_id` becomes nullable (SQLite: the table is rebuilt from its
 *   own stored definition, keeping every column and index other migrations added).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('status_subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('status_pages.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('address_key', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('secret', 'text')
    .addColumn('components', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('confirmed_at', 'bigint')
    .addColumn('confirm_sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('status_subscribers_address', ['page_id', 'kind', 'address_key'])
    .execute();

  await db.schema
    .createTable('subscriber_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('status_pages.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('components', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('expanded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriber_notifications_page').on('subscriber_notifications').columns(['page_id', 'created_at']).execute();

  if (db.getExecutor().adapter instanceof SqliteAdapter) await relaxContactMethodOnSqlite(db);
  else await sql`alter table deliveries alter column contact_method_id drop not null`.execute(db);
  await db.schema.alterTable('deliveries').addColumn('subscriber_id', 'text').execute();
  // The worker claims by lane (priority) among due rows: with 11,000 subscriber rows queued, the
  // pages' claim reads only the rows of its own lanes.
  await db.schema.createIndex('deliveries_lane').on('deliveries').columns(['status', 'priority', 'next_attempt_at']).execute();
  await db.schema.createIndex('deliveries_subscriber').on('deliveries').columns(['subscriber_id', 'status']).execute();
}

/**
 * SQLite cannot drop a NOT NULL: the table is made again from its stored CREATE statement with
 * only that constraint removed, the rows copied, and its indexes made again. No table refers
 * to `deliveries`, so dropping it breaks no foreign key.
 */
async function relaxContactMethodOnSqlite(db: Kysely<any>): Promise<void> {
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'deliveries'`.execute(db);
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'deliveries' and sql is not null`.execute(db);
  const create = table.rows[0]!.sql;
  const relaxed = create
    .replace(/^create table\s+"?deliveries"?/i, 'create table "deliveries_0017"')
    .replace(/("contact_method_id"\s+text)\s+not null/i, '$1');
  if (relaxed === create || !/deliveries_0017/.test(relaxed)) throw new Error('0017: unexpected deliveries definition');
  await sql.raw(relaxed).execute(db);
  await sql`insert into deliveries_0017 select * from deliveries`.execute(db);
  await sql`drop table deliveries`.execute(db);
  await sql`alter table deliveries_0017 rename to deliveries`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}
