import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * `firebreak runbook|drill|runner` as separate processes (run from source with tsx) against a
 * listening server: what an operator sees, including exit codes, and a real runner process.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...env }, timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const DOC = `---
service: payments
targets: { acknowledge: 5 minutes, mitigate: 30 minutes }
matchers: [alertname=PaymentsDown]
review_interval: 90 days
reviewed: 2026-02-01
---

# Payments down

## Investigation

\`\`\`bash
# Greet the on-call
echo payments runner ok
\`\`\`

## Verification

- [ ] Verify payments succeed again
`;

describe.each(DIALECTS)('runbook CLI on %s', (dialect) => {
  let t: TestApp;
  let env: Record<string, string>;
  let dir: string;
  let runner: ChildProcess | undefined;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const admin = await t.userWithKey('admin');
    await t.store.db.insertInto('services').values({ id: 'svc_pay', slug: 'payments', name: 'Payments', description: '', team_id: null, managed_by: null, created_at: 0, updated_at: 0 }).execute();
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    env = { FIREBREAK_URL: url, FIREBREAK_API_KEY: admin.token };
    dir = mkdtempSync(join(tmpdir(), 'firebreak-runbooks-'));
    writeFileSync(join(dir, 'payments.md'), DOC);
    writeFileSync(join(dir, 'weak.md'), '# Weak\n\n1. Restart the thing\n');
  });
  afterAll(async () => {
    if (runner?.pid !== undefined && runner.exitCode === null) runner.kill('SIGTERM');
    await t?.close();
  });

  it('imports a directory (dry run first) and prints the report', async () => {
    const dry = await cli(['runbook', 'import', dir, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing written');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/runbooks', headers: bearer(env.FIREBREAK_API_KEY!) })).json().items).toEqual([]);
    const real = await cli(['runbook', 'import', dir], env);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/payments-down\s+created\s+v1/);
    expect(real.stdout).toMatch(/recognised: 1 runbooks, 2 phases, 2 steps/);
    const again = await cli(['runbook', 'import', join(dir, 'payments.md'), '--json'], env);
    expect(JSON.parse(again.stdout)[0].result.runbooks[0].action).toBe('unchanged');
  });

  it('prints each section with its line and what it was read as, and why a region was kept as Markdown', async () => {
    const other = mkdtempSync(join(tmpdir(), 'firebreak-runbooks-'));
    writeFileSync(join(other, 'ops.md'), '# Ops\n\n## Background\n\nThe queue was built in 2019.\n\n## Runbook: Disk Full\n\n- Command: `df -h /data`\n');
    const dry = await cli(['runbook', 'import', other, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/line\s+3\s+unclassified\s+Background/);
    expect(dry.stdout).toMatch(/line\s+7\s+runbook\s+Disk Full → disk-full/);
    expect(dry.stdout).toContain('kept as Markdown: 1 regions');
    expect(dry.stdout).toMatch(/line 5-5 in document: The queue was built in 2019\.\n\s+why: section without steps/);
  });

  it('lists and shows runbooks', async () => {
    const list = await cli(['runbook', 'list'], env);
    expect(list.stdout).toMatch(/payments-down\s+Payments down\s+payments/);
    const show = await cli(['runbook', 'show', 'payments-down'], env);
    expect(show.stdout).toContain('targets: acknowledge 5m, mitigate 30m');
    expect(show.stdout).toContain('echo payments runner ok');
    expect((await cli(['runbook', 'show', 'nope'], env)).code).toBe(3);
  });

  it('lints files locally and stored runbooks; --strict exits 1 on warnings', async () => {
    const weak = await cli(['runbook', 'lint', join(dir, 'weak.md'), '--strict'], {});
    expect(weak.code).toBe(1);
    expect(weak.stdout).toContain('no-verification');
    expect((await cli(['runbook', 'lint', join(dir, 'weak.md')], {})).code).toBe(0);
    const stored = await cli(['runbook', 'lint', 'payments-down', '--strict'], env);
    expect(stored.stdout).toContain('payments-down');
  });

  it('a separate runner process executes an approved step', async () => {
    const created = await cli(['runners', 'create', 'cli-box', '--allow', 'echo', '--json'], env);
    const token = JSON.parse(created.stdout).token as string;
    runner = spawn(process.execPath, ['--import', 'tsx', MAIN, 'runner', '--url', env.FIREBREAK_URL!, '--token', token, '--allow', 'echo'], { cwd: ROOT, stdio: 'ignore' });
    const inc = (await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(env.FIREBREAK_API_KEY!), payload: { title: 'Payments down', severity: 'SEV2', service: 'payments' } })).json();
    const run = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${inc.id}/runbook-runs`, headers: bearer(env.FIREBREAK_API_KEY!) })).json().items[0];
    const job = (await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/runbook-runs/${run.id}/steps/0/execute`, headers: bearer(env.FIREBREAK_API_KEY!), payload: {} })).json();
    expect(job.status).toBe('approved');
    const until = Date.now() + 30_000;
    let status = job.status as string;
    let output = '';
    while (Date.now() < until && !['succeeded', 'failed', 'refused'].includes(status)) {
      await new Promise((r) => setTimeout(r, 200));
      const jobs = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${inc.id}/runner-jobs`, headers: bearer(env.FIREBREAK_API_KEY!) })).json().items;
      status = jobs[0].status;
      output = jobs[0].output;
    }
    expect([status, output]).toEqual(['succeeded', 'payments runner ok\n']);
  }, 60_000);

  it('starts a drill and prints its report', async () => {
    const responder = await t.userWithKey('responder');
    const start = await cli(['drill', 'start', 'payments-down', '--participants', responder.email, '--json'], env);
    expect(start.code).toBe(0);
    const { incident } = JSON.parse(start.stdout);
    expect(incident.title).toBe('[DRILL] Payments down');
    const report = await cli(['drill', 'report', String(incident.number)], env);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`DRILL #${incident.number}`);
    expect(report.stdout).toMatch(/acknowledge\s+5m/);
  });
});
