import type { Kysely } from 'kysely';

/**
 * A fan-out reads a page's confirmed subscribers 50 or 250 at a time in id order after a cursor
 * (domain/subscribers/expand-notifications.ts). With only the (page_id, kind, address_key)
 * constraint to go by, SQLite read all of the page's subscribers and sorted them for each
 * batch: ~5 ms per batch on the event loop with 11,000 subscribers, 220 times per update.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('status_subscribers_page_order').on('status_subscribers').columns(['page_id', 'id']).execute();
}
