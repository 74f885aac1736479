import { sql, type Kysely } from 'kysely';
import { redactCredentialText } from '../../core/redact-credentials.js';

/**
 * Secrets kept out of stored copies (issue 11):
 * - `raw_payloads.body`: payloads stored before ingest redacted credentials held PagerDuty
 *   routing keys (the integration key itself) and the like in clear; they are redacted here the
 *   way ingest now does before storing. Only rows that can hold one are read (a `like` filter in
 *   the database), in id order, a page at a time.
 * - `runbook_runs.secret_values`: the placeholder keys a responder marked secret (JSON array).
 * - `runner_jobs.shown_command`: the command as shown to people, secret values masked; `command`
 *   keeps the real one for the runner only. Null for jobs made before (shown as `command`).
 */
const PAGE = 200;
const NEEDLES = ['routing_key', 'service_key', 'integration_key', 'apikey', 'api_key', 'geniekey', 'authorization', 'token', 'secret', 'password', 'passwd', 'signature', 'sig=', 'auth=', '://%:%@'];

export async function up(db: Kysely<any>): Promise<void> {
  await redactStoredRawPayloads(db);
  await db.schema.alterTable('runbook_runs').addColumn('secret_values', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('runner_jobs').addColumn('shown_command', 'text').execute();
}

/** Idempotent: a body already redacted is left as it is. */
export async function redactStoredRawPayloads(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; body: string }[] = await db
      .selectFrom('raw_payloads')
      .select(['id', 'body'])
      .where('id', '>', after)
      .where((eb) => eb.or(NEEDLES.map((n) => eb(sql`lower(body)`, 'like', `%${n}%`))))
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const body = redactCredentialText(row.body);
      if (body !== row.body) await db.updateTable('raw_payloads').set({ body }).where('id', '=', row.id).execute();
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
}
