import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Alert search in the web UI (issue 15): "firing", "acknowledged" and "suppressed" alerts, newest
 * first, one page at a time. Without this index both databases walk the primary key from the
 * newest alert and skip every resolved one (millions, on a busy install) to find the few open.
 * Partial: only open alerts are in it, so the index stays as small as the open set; each new
 * alert pays one more insert into it, and its resolve one removal.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index alerts_open_recent on alerts (id) where status <> 'resolved'`.execute(db);
}
