import type { Kysely } from 'kysely';

/**
 * Alternative paths in a runbook run (issue 14): which path a responder chose per alternative
 * set, JSON `{ "<set>": <option> }`; null until someone chooses.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('runbook_runs').addColumn('chosen_paths', 'text').execute();
}
