import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Releasing alerts when their silence or maintenance window ends (issue 11): the release job
 * looks up the firing alerts held by a silence or window. The index is partial, so only held
 * firing alerts are in it: every other insert and update of `alerts` never pays for it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index alerts_held on alerts (suppressed_by) where suppressed_by is not null and status = 'firing'`.execute(db);
}
