import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';

/** `firebreak runbook import FILE --plan | --apply | --yaml` against a listening server. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');
const KILN = join(ROOT, 'test/fixtures/runbooks/kiln-queue.md');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...env }, timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe.each(DIALECTS)('runbook import plan CLI on %s', (dialect) => {
  let t: TestApp;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const admin = await t.userWithKey('admin');
    await t.store.db.insertInto('teams').values({ id: 'team_q', slug: 'queue', name: 'Queue', managed_by: null, created_at: 0, updated_at: 0 }).execute();
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    env = { FIREBREAK_URL: url, FIREBREAK_API_KEY: admin.token };
  });
  afterAll(() => t?.close());

  it('shows the plan, refuses an unmapped placeholder, applies a selection with mappings, then shows it unchanged', async () => {
    const plan = await cli(['runbook', 'import', KILN, '--plan'], env);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('~ severities');
    expect(plan.stdout).toMatch(/SEV-1: \(none\) → SEV-1 \(new level\)/);
    expect(plan.stdout).toContain('+ escalation-policy:Kiln Job Queue escalation');
    expect(plan.stdout).toMatch(/Queue team lead\s+unmapped \(likely a user\)/);
    expect(plan.stdout).toMatch(/Plan: \d+ to add, 1 to change, 0 unchanged, 0 blocked\./);

    const only = 'severities,escalation-policy:Kiln Job Queue escalation';
    const refused = await cli(['runbook', 'import', KILN, '--apply', '--only', only, '--map', 'On-call queue engineer=team:queue'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/map every placeholder.*: Queue team lead, Director of Platform/);

    const applied = await cli(['runbook', 'import', KILN, '--apply', '--only', only, '--map', 'On-call queue engineer=team:queue', '--map', 'Queue team lead=team:queue', '--map', 'Director of Platform=team:queue'], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('escalation policy Kiln Job Queue escalation: created');
    expect(applied.stdout).toContain('severity SEV-1: added');

    const again = await cli(['runbook', 'import', KILN, '--plan', '--json'], env);
    const entries = JSON.parse(again.stdout).entries as { id: string; action: string }[];
    expect(entries.filter((e) => only.split(',').includes(e.id)).map((e) => e.action)).toEqual(['unchanged', 'unchanged']);
    expect(entries.find((e) => e.id === 'checklist:kiln-queue-afterwards')!.action).toBe('add');

    const yaml = await cli(['runbook', 'import', KILN, '--yaml', '--only', only], env);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain('escalationPolicies:');
    expect(yaml.stdout).toContain('- team:queue');
    expect(yaml.stdout).toContain('businessHours: true');
  }, 120_000);

  it('says how to write a mapping', async () => {
    const bad = await cli(['runbook', 'import', KILN, '--apply', '--map', 'no-equals-sign'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('NAME=TARGET');
  });
});
