import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { parseAllowRule } from '../../src/domain/runbooks/index.js';
import { runRunner } from '../../src/runner/run-runner.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

const RUNBOOK = `---
service: batch
targets: { mitigate: 15 minutes }
---

# Batch queue stuck

## Investigation

\`\`\`bash
# Say hello
echo hello from the runner

# List the working directory
ls -a

# Read the password file
cat /etc/passwd

# Wait a while
sleep 5

# Print forever
yes firebreak

# Print a value
printf hi

# Show the pod
echo <pod-name>
\`\`\`

## Mitigation

⚠️ DANGER: this deletes the scratch directory and its data.

\`\`\`bash
rm -rf scratch
\`\`\`

## Verification

- [ ] Verify the queue drains
`;

const TERMINAL = new Set(['succeeded', 'failed', 'refused']);

describe.each(DIALECTS)('runner on %s', (dialect) => {
  let t: TestApp;
  let url: string;
  let admin: { token: string };
  let ana: { token: string };
  let bo: { token: string };
  let abort: AbortController;
  let runner: Promise<void>;
  let incident: string;
  let run: string;
  let steps: { index: number; command: string | null; dangerous: boolean }[];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.userWithKey('admin');
    ana = await t.userWithKey('responder');
    bo = await t.userWithKey('responder');
    await t.store.db.insertInto('services').values({ id: 'svc_batch', slug: 'batch', name: 'Batch', description: '', team_id: null, managed_by: null, created_at: 0, updated_at: 0 }).execute();
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    expect((await post('/api/v1/runbooks/import', { markdown: RUNBOOK, sourceName: 'batch.md' }, admin.token)).statusCode).toBe(200);
    // The server allows more than the runner does: `printf` is refused on the runner's side.
    const created = await post('/api/v1/runners', { name: 'ops-box', allow: ['echo', 'ls -a', 'regex:sleep [0-9]+', 'yes', 'printf', 'rm -rf scratch'] }, admin.token);
    expect(created.statusCode).toBe(201);
    const token = created.json().token as string;
    expect(token).toMatch(/^fbr_/);
    abort = new AbortController();
    const allow = ['echo', 'ls', 'regex:sleep [0-9]+', 'yes', 'rm -rf scratch'].map(parseAllowRule);
    runner = runRunner({ url, token, allow, log: silentLogger, pollWaitSeconds: 1, signal: abort.signal });
    const inc = (await post('/api/v1/incidents', { title: 'Batch stuck', severity: 'SEV2', service: 'batch' })).json();
    incident = inc.id;
    const runs = (await get(`/api/v1/incidents/${incident}/runbook-runs`)).json().items;
    run = runs[0].id;
    steps = runs[0].phases.flatMap((p: { steps: unknown[] }) => p.steps);
  });
  afterAll(async () => {
    abort?.abort();
    await runner?.catch(() => undefined);
    await t?.close();
  });

  function post(path: string, payload: unknown, token = ana.token) {
    return t.app.inject({ method: 'POST', url: path, payload: payload as object, headers: bearer(token) });
  }
  function get(path: string, token = ana.token) {
    return t.app.inject({ method: 'GET', url: path, headers: bearer(token) });
  }
  const stepOf = (prefix: string) => steps.find((s) => s.command?.startsWith(prefix))!.index;
  const execute = (prefix: string, body: object = {}, token = ana.token) => post(`/api/v1/incidents/${incident}/runbook-runs/${run}/steps/${stepOf(prefix)}/execute`, body, token);
  async function settle(jobId: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const job = (await get(`/api/v1/incidents/${incident}/runner-jobs`)).json().items.find((j: { id: string }) => j.id === jobId);
      if (TERMINAL.has(job.status) || Date.now() > until) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const timeline = async () => (await get(`/api/v1/incidents/${incident}/timeline`)).json().items as { kind: string; body: string; data: Record<string, unknown> }[];

  it('runner protocol endpoints answer 401 without a valid runner token', async () => {
    for (const [method, path] of [['GET', '/api/v1/runner/jobs'], ['POST', '/api/v1/runner/register'], ['POST', '/api/v1/runner/jobs/rjob_x/output'], ['POST', '/api/v1/runner/jobs/rjob_x/finish']] as const) {
      expect((await t.app.inject({ method, url: path, payload: method === 'POST' ? {} : undefined })).statusCode).toBe(401);
      expect((await t.app.inject({ method, url: path, headers: { 'x-runner-token': 'fbr_wrong' }, payload: method === 'POST' ? {} : undefined })).statusCode).toBe(401);
    }
  });

  it('executes an allowed command on a human click and streams its output into the timeline', async () => {
    const res = await execute('echo hello');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'approved', command: 'echo hello from the runner' });
    const job = await settle(res.json().id);
    expect(job).toMatchObject({ status: 'succeeded', exitCode: 0, output: 'hello from the runner\n' });
    const events = await timeline();
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['runner_job_requested', 'runner_job_started', 'runner_job_output', 'runner_job_finished']));
    expect(events.find((e) => e.kind === 'runner_job_output')!.body).toContain('hello from the runner');
  });

  it('runs in an empty temporary directory', async () => {
    const job = await settle((await execute('ls -a')).json().id);
    expect(job).toMatchObject({ status: 'succeeded', output: '.\n..\n' });
  });

  it('refuses a command the server allow-list does not permit, and records it', async () => {
    const res = await execute('cat /etc/passwd');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'refused', reason: expect.stringMatching(/not on the allow-list/) });
    expect((await timeline()).some((e) => e.kind === 'runner_job_refused' && e.body.includes('cat /etc/passwd'))).toBe(true);
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'runner_job.refused').execute();
    expect(audit.map((a) => a.target)).toContain(res.json().id);
  });

  it('refuses on the runner side what only the server allows', async () => {
    const job = await settle((await execute('printf hi')).json().id);
    expect(job).toMatchObject({ status: 'refused', reason: expect.stringMatching(/^runner: .*not on the allow-list/) });
  });

  it('enforces the timeout', async () => {
    const started = Date.now();
    const job = await settle((await execute('sleep 5', { timeoutSeconds: 1 })).json().id);
    expect(job).toMatchObject({ status: 'failed', reason: 'timed out after 1s' });
    expect(Date.now() - started).toBeLessThan(4500);
  });

  it('caps the output and stops the command', async () => {
    const job = await settle((await execute('yes firebreak')).json().id);
    expect(job).toMatchObject({ status: 'failed', outputTruncated: true });
    expect(Buffer.byteLength(job.output as string)).toBeLessThanOrEqual(64 * 1024);
    expect((job.output as string).startsWith('firebreak\nfirebreak\n')).toBe(true);
  });

  it('never pastes unsafe values into a command', async () => {
    await post(`/api/v1/incidents/${incident}/runbook-runs/${run}/values`, { values: { 'pod-name': 'x;id' } });
    const res = await execute('echo <pod-name>');
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { field: string }) => i.field)).toEqual(['values.<pod-name>']);
  });

  it('holds a dangerous step until a second, different person approves it', async () => {
    expect(steps.find((s) => s.command === 'rm -rf scratch')!.dangerous).toBe(true);
    const res = await execute('rm -rf scratch');
    expect(res.json()).toMatchObject({ status: 'requested', dangerous: true });
    const id = res.json().id as string;
    // Two poll cycles later the runner still has not seen it.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await get(`/api/v1/incidents/${incident}/runner-jobs`)).json().items.find((j: { id: string }) => j.id === id).status).toBe('requested');
    const self = await post(`/api/v1/incidents/${incident}/runner-jobs/${id}/approve`, {}, ana.token);
    expect(self.statusCode).toBe(403);
    const approved = await post(`/api/v1/incidents/${incident}/runner-jobs/${id}/approve`, {}, bo.token);
    expect(approved.json()).toMatchObject({ status: 'approved', approvedBy: expect.any(String) });
    expect(await settle(id)).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect((await post(`/api/v1/incidents/${incident}/runner-jobs/${id}/approve`, {}, bo.token)).statusCode).toBe(409);
    const actions = (await t.store.db.selectFrom('audit_log').select(['action']).where('target', '=', id).orderBy('seq').execute()).map((a) => a.action);
    expect(actions).toEqual(['runner_job.requested', 'runner_job.approved', 'runner_job.started', 'runner_job.succeeded']);
  });

  it('only admins manage runners; viewers cannot execute', async () => {
    expect((await post('/api/v1/runners', { name: 'x', allow: ['echo'] }, ana.token)).statusCode).toBe(403);
    const viewer = await t.userWithKey('viewer');
    expect((await execute('echo hello', {}, viewer.token)).statusCode).toBe(403);
    const list = (await get('/api/v1/runners', admin.token)).json().items;
    expect(list[0]).toMatchObject({ name: 'ops-box', lastSeenAt: expect.any(String), reportedAllowList: expect.arrayContaining([{ type: 'prefix', value: 'echo' }]) });
  });
});
