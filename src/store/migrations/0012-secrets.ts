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
 *   keeps the real one for the runner only.
 * - Runbook values whose names look secret, given before this, are masked where they were
 *   copied: timeline events, step states, runner job displays and output. The audit log is
 *   hash-chained and keeps what it said (rewriting it would break `audit verify`).
 */
const PAGE = 200;
const NEEDLES = ['routing_key', 'service_key', 'integration_key', 'apikey', 'api_key', 'geniekey', 'authorization', 'token', 'secret', 'password', 'passwd', 'signature', 'sig=', 'auth=', '://%:%@'];

export async function up(db: Kysely<any>): Promise<void> {
  await redactStoredRawPayloads(db);
  await db.schema.alterTable('runbook_runs').addColumn('secret_values', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('runner_jobs').addColumn('shown_command', 'text').execute();
  await maskStoredRunbookSecrets(db);
}

// Frozen copies of the rules in domain/runbooks/placeholders.ts as of this migration: a
// migration must do the same thing forever, whatever those become.
const MASK = '********';
const SECRET_WORDS = new Set(['token', 'key', 'apikey', 'password', 'passwd', 'pass', 'pwd', 'secret', 'credential', 'credentials', 'passphrase']);
const looksSecret = (key: string) => key.toLowerCase().replace(/[-\s.]+/g, '_').split('_').some((w) => SECRET_WORDS.has(w));

function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/** Masks values with secret-looking names wherever the run's incident copied them. */
export async function maskStoredRunbookSecrets(db: Kysely<any>): Promise<void> {
  const runs: { id: string; incident_id: string; fill_values: string }[] = await db.selectFrom('runbook_runs').select(['id', 'incident_id', 'fill_values']).execute();
  for (const run of runs) {
    let given: Record<string, unknown> = {};
    try {
      given = JSON.parse(run.fill_values) as Record<string, unknown>;
    } catch {
      continue;
    }
    const raw = Object.entries(given).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length >= 4 && looksSecret(e[0])).map(([, v]) => v).sort((a, b) => b.length - a.length);
    if (raw.length === 0) continue;
    // In JSON text a value appears escaped.
    const json = raw.map((v) => JSON.stringify(v).slice(1, -1));
    const events: { id: string; body: string; data: string }[] = await db.selectFrom('timeline_events').select(['id', 'body', 'data']).where('incident_id', '=', run.incident_id).execute();
    for (const e of events) {
      const body = mask(e.body, raw);
      const data = mask(e.data, json);
      if (body !== e.body || data !== e.data) await db.updateTable('timeline_events').set({ body, data }).where('id', '=', e.id).execute();
    }
    const jobs: { id: string; command: string; output: string }[] = await db.selectFrom('runner_jobs').select(['id', 'command', 'output']).where('run_id', '=', run.id).execute();
    for (const j of jobs) await db.updateTable('runner_jobs').set({ shown_command: mask(j.command, raw), output: mask(j.output, raw) }).where('id', '=', j.id).execute();
    const states: { step_index: number; filled_command: string | null }[] = await db.selectFrom('runbook_step_states').select(['step_index', 'filled_command']).where('run_id', '=', run.id).execute();
    for (const st of states) {
      if (st.filled_command === null) continue;
      const filled = mask(st.filled_command, raw);
      if (filled !== st.filled_command) await db.updateTable('runbook_step_states').set({ filled_command: filled }).where('run_id', '=', run.id).where('step_index', '=', st.step_index).execute();
    }
  }
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
