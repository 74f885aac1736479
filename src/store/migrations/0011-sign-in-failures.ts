import type { Kysely } from 'kysely';

/**
 * Failed sign-ins counted per source address, and per account and source, in fixed windows
 * (issue 11): the throttle is shared by every instance on the database, and the audit log no
 * longer doubles as the counter (it grew by one entry per failure). `key` is `source:<ip>` or
 * `account:<email> source:<ip>`; rows of past windows are deleted as new windows start.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_failures_pk', ['key', 'window_start'])
    .execute();
  await db.schema.createIndex('sign_in_failures_window').on('sign_in_failures').column('window_start').execute();
}
