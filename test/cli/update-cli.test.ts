import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** `firebreak update …` as an operator runs it: the real binary against a real server process. */
beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('update CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let token = '';

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

  it('template set (refused with line and column, then saved) / preview / post / list / template delete', async () => {
    const inc = await json<{ number: number }>(['incident', 'declare', 'Checkout errors', '--severity', 'SEV2']);
    const bad = await cli(['update', 'template', 'set', 'update', '-', '--audience', 'public'], 'We are on it.\n{{ incident.titel }}\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('template error at line 2, column 4: undefined variable: incident.titel');

    const saved = await cli(['update', 'template', 'set', 'update', '-', '--audience', 'public'], 'Public: {{ incident.title }} is {{ incident.status }}.');
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout.trim()).toBe('Saved the update template for public');
    const templates = await cli(['update', 'template', 'list']);
    expect(templates.stdout).toMatch(/^update +public +api +Public: \{\{ incident\.title \}\}/m);

    const preview = await cli(['update', 'preview', String(inc.number), '--audience', 'public']);
    expect(preview.stdout.trim()).toBe('Public: Checkout errors is triggered.');

    // Without text, the template is rendered and posted; SEV2's cadence (1 h) sets the deadline.
    const posted = await json<{ body: string; nextUpdateBy: string; audiences: string[] }>(['update', 'post', String(inc.number), '--audience', 'public']);
    expect(posted.body).toBe('Public: Checkout errors is triggered.');
    expect(posted.audiences).toEqual(['public']);
    expect(Date.parse(posted.nextUpdateBy) - Date.now()).toBeGreaterThan(55 * 60_000);
    const human = await cli(['update', 'post', String(inc.number), 'Rolled', 'back.', '--kind', 'update', '--audience', 'internal,responders', '--next-update-by', 'none']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Posted update update to internal, responders on incident \d+ {2}upd_\w+$/m);
    const list = await cli(['update', 'list', String(inc.number)]);
    expect(list.stdout).toMatch(/update +public +.*Public: Checkout errors is triggered\./);
    expect(list.stdout).toMatch(/update +internal,responders +.*Rolled back\./);
    expect(list.stdout).toContain('No next update due.');
    const wrongWhen = await cli(['update', 'post', String(inc.number), 'x', '--next-update-by', 'soonish']);
    expect(wrongWhen.code).toBe(2);
    expect(wrongWhen.stderr).toContain('nextUpdateBy');

    expect((await cli(['update', 'template', 'delete', 'update', '--audience', 'public'])).code).toBe(0);
    const gone = await cli(['update', 'template', 'delete', 'update', '--audience', 'public']);
    expect(gone.code).not.toBe(0);
  });
});
