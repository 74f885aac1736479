import type { Kysely } from 'kysely';

/**
 * One-time sign-in links (issue 15): an admin invites a person (or lets one back in) with a link
 * they open once to choose a password. Only the SHA-256 of the token is stored, like sessions.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('sign_in_links_user').on('sign_in_links').column('user_id').execute();
}
