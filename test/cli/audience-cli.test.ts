import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** `firebreak audience …` as an operator runs it: the real binary against a real server process. */
beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('audience CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let token = '';

  const cli = (args: string[]) => execute(process.execPath, [BIN, ...args], { env: cleanEnv({ FIREBREAK_URL: server.url, FIREBREAK_API_KEY: token }) });

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

  it('group set (a bad address names the field) / list / show; rule add / list / delete; group delete', async () => {
    const bad = await cli(['audience', 'group', 'set', 'executives', '--name', 'Executives', '--email', 'ceo@example.com,nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('emails.1');
    const metadata = await cli(['audience', 'group', 'set', 'executives', '--name', 'Executives', '--webhook-url', 'http://169.254.169.254/latest']);
    expect(metadata.code).toBe(2);
    expect(metadata.stderr).toContain('webhookUrl');

    const saved = await cli(['audience', 'group', 'set', 'executives', '--name', 'Executives', '--email', 'ceo@example.com', '--email', 'cfo@example.com', '--webhook-url', 'https://93.184.215.14/exec']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/Saved audience group executives\nWebhook signing secret \(shown once\): whsec_/);
    expect((await cli(['audience', 'group', 'list'])).stdout).toMatch(/^executives +Executives +2 +- +yes/m);
    expect((await cli(['audience', 'group', 'show', 'executives'])).stdout).toContain('webhook  https://93.184.215.14/exec (signed)');

    const added = await cli(['audience', 'rule', 'add', '--group', 'executives', '--severity', 'SEV1']);
    expect(added.code, added.stderr).toBe(0);
    const id = /Added rule (aur_\w+): SEV1 on any service → executives/.exec(added.stdout)?.[1];
    expect(id).toBeDefined();
    expect((await cli(['audience', 'rule', 'list'])).stdout).toMatch(new RegExp(`^${id} +executives +SEV1 +any +api`, 'm'));
    expect((await cli(['audience', 'rule', 'add', '--group', 'executives', '--severity', 'SEV9'])).stderr).toContain('severities.0');
    expect((await cli(['audience', 'rule', 'delete', id!])).code).toBe(0);
    expect((await cli(['audience', 'group', 'delete', 'executives'])).code).toBe(0);
    expect((await cli(['audience', 'group', 'show', 'executives'])).code).not.toBe(0);
  }, 180_000);
});
