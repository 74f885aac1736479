import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../src/domain/runbooks/placeholders.js';
import { maskStoredRunbookSecrets } from '../../src/store/migrations/0012-secrets.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Issue 11, item 9: a runbook value whose name looks secret, or that a responder marks secret, is
 * masked in every answer, the timeline, the audit log and the job display; only the runner that
 * executes the command gets the real value.
 */
const RUNBOOK = `---
service: status
---

# Status page update

## Mitigation

\`\`\`bash
# Post the update
echo $STATUS_PAGE_TOKEN <release-sig> <pod-name>
\`\`\`
`;

const TOKEN = 'sp_live_4f9a8b7c6d';
const SIG = 'sig-20260301-9z8y';

describe.each(DIALECTS)('secret runbook values (%s)', (dialect) => {
  let t: TestApp;
  let admin: { token: string };
  let ana: { token: string };
  let runnerToken: string;
  let incident: string;
  let run: string;

  const post = (path: string, payload: unknown, token = ana.token) => t.app.inject({ method: 'POST', url: path, payload: payload as object, headers: bearer(token) });
  const get = (path: string, token = ana.token) => t.app.inject({ method: 'GET', url: path, headers: bearer(token) });
  const expectNoSecret = (what: string, text: string) => {
    expect(text, what).not.toContain(TOKEN);
    expect(text, what).not.toContain(SIG);
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    ana = await t.userWithKey('responder');
    await t.store.db.insertInto('services').values({ id: 'svc_status', slug: 'status', name: 'Status', description: '', team_id: null, managed_by: null, created_at: 0, updated_at: 0 }).execute();
    expect((await post('/api/v1/runbooks/import', { markdown: RUNBOOK, sourceName: 'status.md' }, admin.token)).statusCode).toBe(200);
    const created = await post('/api/v1/runners', { name: 'ops-box', allow: ['echo'] }, admin.token);
    expect(created.statusCode, created.body).toBe(201);
    runnerToken = created.json().token;
    incident = (await post('/api/v1/incidents', { title: 'Status page stale', severity: 'SEV2', service: 'status' })).json().id;
    run = (await get(`/api/v1/incidents/${incident}/runbook-runs`)).json().items[0].id;
  });
  afterAll(async () => t?.close());

  it('a value named like a secret is never written to the timeline in clear', async () => {
    const other = (await post('/api/v1/incidents', { title: 'Status page stale again', severity: 'SEV3', service: 'status' })).json().id;
    const otherRun = (await get(`/api/v1/incidents/${other}/runbook-runs`)).json().items[0].id;
    const set = await post(`/api/v1/incidents/${other}/runbook-runs/${otherRun}/values`, { values: { STATUS_PAGE_TOKEN: TOKEN } });
    expect(set.statusCode, set.body).toBe(200);
    expectNoSecret('values answer', set.body);
    const timeline = await get(`/api/v1/incidents/${other}/timeline`);
    expect(timeline.body).toContain('status_page_token');
    expectNoSecret('timeline', timeline.body);
  });

  it('migration 0012 masks values with secret names that were stored in clear before it', async () => {
    const old = (await post('/api/v1/incidents', { title: 'Before the upgrade', severity: 'SEV3', service: 'status' })).json().id;
    const oldRun = (await get(`/api/v1/incidents/${old}/runbook-runs`)).json().items[0].id;
    // What an older version wrote: the value in clear in the run, the timeline and a step state.
    await t.store.db.updateTable('runbook_runs').set({ fill_values: JSON.stringify({ status_page_token: 'old-"clear"-token' }) }).where('id', '=', oldRun).execute();
    await t.store.db.insertInto('timeline_events').values({
      id: 'tl_00000000000000000000000OLD', incident_id: old, at: 1, kind: 'runbook_values_set', actor_type: 'user', actor_id: null, actor_name: 'ana',
      body: 'Runbook values: `status_page_token` = `old-"clear"-token`', data: JSON.stringify({ runId: oldRun, values: { status_page_token: 'old-"clear"-token' } }),
    }).execute();
    await t.store.db.insertInto('runbook_step_states').values({ run_id: oldRun, step_index: 0, state: 'done', actor_id: null, actor_name: 'ana', at: 1, started_at: null, reason: null, filled_command: 'echo old-"clear"-token', version: 1 }).execute();
    await t.store.transaction((tx) => maskStoredRunbookSecrets(tx as never));
    const dump = JSON.stringify([
      await t.store.db.selectFrom('timeline_events').selectAll().where('incident_id', '=', old).execute(),
      await t.store.db.selectFrom('runbook_step_states').selectAll().where('run_id', '=', oldRun).execute(),
    ]);
    expect(dump).not.toContain('clear');
    expect(dump).toContain(SECRET_MASK);
    expect((await get(`/api/v1/incidents/${old}/runbook-runs`)).body).not.toContain('clear');
  });

  it('masks them everywhere people look and hands the real command only to the runner', async () => {
    const set = await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/values`, {
      values: { STATUS_PAGE_TOKEN: TOKEN, '<release-sig>': { value: SIG, secret: true }, 'pod-name': 'api-1' },
    });
    expect(set.statusCode, set.body).toBe(200);
    expectNoSecret('values answer', set.body);
    expect(set.json().values).toEqual({ status_page_token: SECRET_MASK, release_sig: SECRET_MASK, pod_name: 'api-1' });
    expect(set.json().secretValues.sort()).toEqual(['release_sig', 'status_page_token']);
    const step = set.json().phases.flatMap((p: { steps: unknown[] }) => p.steps)[0] as { index: number; command: string };
    expect(step.command).toBe(`echo ${SECRET_MASK} ${SECRET_MASK} api-1`);

    // Re-typing a marked value without the mark keeps it secret.
    expect((await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/values`, { values: { 'release-sig': SIG } })).json().values.release_sig).toBe(SECRET_MASK);

    const job = await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/steps/${step.index}/execute`, {});
    expect(job.statusCode, job.body).toBeLessThan(300);
    expectNoSecret('execute answer', job.body);
    expect(job.json()).toMatchObject({ status: 'approved', command: `echo ${SECRET_MASK} ${SECRET_MASK} api-1` });

    // The runner gets the real command (and the masked one for its logs).
    const claim = await t.app.inject({ method: 'GET', url: '/api/v1/runner/jobs', headers: { 'x-runner-token': runnerToken } });
    expect(claim.statusCode, claim.body).toBe(200);
    expect(claim.json().job).toMatchObject({ command: `echo ${TOKEN} ${SIG} api-1`, shownCommand: `echo ${SECRET_MASK} ${SECRET_MASK} api-1` });
    const jobId = claim.json().job.id as string;
    // What the command printed: the secrets are masked before the output is stored or shown.
    const output = await t.app.inject({ method: 'POST', url: `/api/v1/runner/jobs/${jobId}/output`, headers: { 'x-runner-token': runnerToken }, payload: { chunk: `${TOKEN} ${SIG} api-1\n` } });
    expect(output.statusCode, output.body).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/runner/jobs/${jobId}/finish`, headers: { 'x-runner-token': runnerToken }, payload: { exitCode: 0 } })).statusCode).toBe(200);
    expect((await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/steps/${step.index}`, { action: 'done' })).statusCode).toBeLessThan(300);

    const jobs = await get(`/api/v1/incidents/${incident}/runner-jobs`);
    expectNoSecret('runner jobs', jobs.body);
    expect(jobs.json().items[0].output).toBe(`${SECRET_MASK} ${SECRET_MASK} api-1\n`);
    expectNoSecret('runbook runs', (await get(`/api/v1/incidents/${incident}/runbook-runs`)).body);
    const timeline = await get(`/api/v1/incidents/${incident}/timeline`);
    expectNoSecret('timeline', timeline.body);
    expect(timeline.body).toContain('status_page_token');
    expectNoSecret('audit log', (await get('/api/v1/audit?limit=100', admin.token)).body);

    // In the database, the real values sit only where execution needs them.
    for (const table of ['timeline_events', 'audit_log', 'runbook_step_states'] as const) {
      expectNoSecret(table, JSON.stringify(await t.store.db.selectFrom(table).selectAll().execute()));
    }
  });
});
