import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** `firebreak maintenance …` as an operator runs it: the real binary against a real server process. */
beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('maintenance CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let token = '';

  const cli = (args: string[], input?: string) =>
    execute(process.execPath, [BIN, ...args], { env: cleanEnv({ FIREBREAK_URL: server.url, FIREBREAK_API_KEY: token }), ...(input === undefined ? {} : { input }) });
  const ok = async (args: string[], input?: string) => {
    const run = await cli(args, input);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
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

  it('create / list / show / start / complete / cancel, seen on the public page', async () => {
    await ok(['statuspage', 'create', 'acme', 'Acme Cloud']);
    await ok(['statuspage', 'component', 'add', 'acme', 'Database']);
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const created = JSON.parse(await ok(['maintenance', 'create', 'acme', 'DB upgrade', '--start', start, '--duration', '2h', '--components', 'Database', '--matchers', 'alertname="PgDown"', '--description', '-', '--json'], 'We upgrade **PostgreSQL**.')) as { id: string; status: string };
    expect(created.status).toBe('scheduled');
    expect(await ok(['maintenance', 'list', 'acme'])).toMatch(new RegExp(`^${created.id} +DB upgrade +scheduled +.* Database$`, 'm'));
    const shown = await ok(['maintenance', 'show', 'acme', created.id]);
    expect(shown).toContain('Silences: alertname="PgDown"');
    expect(shown).toContain('Announced: scheduled');
    expect(await ok(['maintenance', 'start', 'acme', created.id, 'Starting', 'early.'])).toMatch(/^DB upgrade: in progress/);
    const active = await (await fetch(`${server.url}/status/acme/api/v2/scheduled-maintenances/active.json`)).json() as { scheduled_maintenances: { id: string; incident_updates: { body: string }[] }[] };
    expect(active.scheduled_maintenances.map((m) => [m.id, m.incident_updates[0]!.body])).toEqual([[created.id, 'Starting early.']]);
    expect(await ok(['maintenance', 'complete', 'acme', created.id])).toMatch(/^DB upgrade: completed/);

    const second = JSON.parse(await ok(['maintenance', 'create', 'acme', 'Network', '--start', start, '--end', new Date(Date.parse(start) + 3_600_000).toISOString(), '--remind', 'none', '--json'])) as { id: string };
    expect(await ok(['maintenance', 'cancel', 'acme', second.id])).toMatch(/^Network: cancelled/);

    // Bad input: a start in the past is refused with the field named (exit 2).
    const past = await cli(['maintenance', 'create', 'acme', 'Late', '--start', new Date(Date.now() - 3_600_000).toISOString(), '--duration', '1h']);
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('scheduledFor');
    // Without a page, `list` still lists the alert maintenance windows.
    expect(await ok(['maintenance', 'list'])).toContain('No maintenance windows.');
  }, 120_000);
});
