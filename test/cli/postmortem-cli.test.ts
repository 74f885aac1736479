import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** `firebreak postmortem …` as an operator runs it: the real binary against a real server process. */
beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('postmortem CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let token = '';
  const dir = mkdtempSync(join(tmpdir(), 'fb-pm-cli-'));

  const cli = (args: string[], input?: string) =>
    execute(process.execPath, [BIN, ...args], { env: cleanEnv({ FIREBREAK_URL: server.url, FIREBREAK_API_KEY: token }), ...(input === undefined ? {} : { input }) });
  const json = async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
    const run = await cli([...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as T;
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    server = await startServerProcess(db.url);
    token = await adminKey(server.url, server.password!);
  }, 60_000);
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await Promise.race([server?.exited, new Promise((r) => setTimeout(r, 5000))]);
    await db?.drop();
  });

  it('template set (refused with line and column) / create / edit / submit / publish / export / list / close', async () => {
    const bad = await cli(['postmortem', 'template', 'set', 'light', '-', '--name', 'Light'], '# {{ title }}\n{{ draft.rootCause }}\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('template error at line 2, column 4: undefined variable: draft.rootCause');
    expect((await cli(['postmortem', 'template', 'set', 'light', '-', '--name', 'Light'], '# {{ title }}\n\n{{ draft.impact }}\n')).code).toBe(0);
    expect((await cli(['postmortem', 'template', 'list'])).stdout).toMatch(/^light +Light +api$/m);

    const inc = await json<{ number: number }>(['incident', 'declare', 'Checkout errors', '--severity', 'SEV1']);
    const missing = await cli(['postmortem', 'create', '9999']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('incident 9999 was not found');
    const past = await cli(['postmortem', 'create', String(inc.number), '--due', '2020-01-01T00:00:00Z']);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('dueAt');

    const created = await json<{ id: string; status: string; body: string }>(['postmortem', 'create', String(inc.number), '--template', 'light', '--due', '5d']);
    expect(created.status).toBe('draft');
    expect(created.body).toContain('# Post-mortem: Checkout errors');
    const file = join(dir, 'pm.md');
    writeFileSync(file, '# Checkout errors\n\n| Cause | Fix |\n| --- | --- |\n| bad deploy | rollback |\n');
    expect((await cli(['postmortem', 'edit', String(inc.number), '--file', file])).code).toBe(0);
    expect((await cli(['postmortem', 'submit', String(inc.number)])).stdout).toContain('[in_review]');
    const early = await cli(['postmortem', 'publish', created.id]);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toContain('not resolved');
    expect((await cli(['incident', 'resolve', String(inc.number)])).code).toBe(0);
    expect((await cli(['postmortem', 'publish', created.id])).stdout).toContain('[published]');
    const out = join(dir, 'export.md');
    expect((await cli(['postmortem', 'export', String(inc.number), '--output', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('| bad deploy | rollback |');
    expect((await cli(['postmortem', 'export', String(inc.number)])).stdout).toContain(`Firebreak post-mortem ${created.id} · published`);
    expect((await cli(['postmortem', 'list', '--status', 'published'])).stdout).toContain(created.id);
    expect((await cli(['postmortem', 'close', String(inc.number)])).stdout).toMatch(/^Closed incident #\d+ at /);
  }, 300_000);
});
