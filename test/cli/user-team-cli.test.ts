import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** Issue 15: `firebreak user …` and `firebreak team …`, the real binary against a real server. */
beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('user and team CLI against a server on %s', (dialect) => {
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
  const signIn = (email: string, password: string) =>
    fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

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

  it('creates users with a first password shown once, changes and disables them', async () => {
    const created = await ok(['user', 'create', 'alice@example.com', 'Alice', 'Smith', '--time-zone', 'Europe/Berlin', '--generate-password']);
    expect(created).toContain('Created alice@example.com (Alice Smith), responder, Europe/Berlin');
    const password = /shown once[^:]*: (\S+)/.exec(created)?.[1];
    expect(password).toMatch(/^[\w-]{24}$/);
    expect((await signIn('alice@example.com', password!)).status).toBe(200);
    // Never readable again: not in the list, not in show.
    expect(await ok(['user', 'list', '--json'])).not.toContain(password!);

    expect(await ok(['user', 'create', 'bob@example.com', 'Bob'])).toContain('No password yet');
    await ok(['user', 'password', 'bob@example.com'], 'correct horse battery staple\n');
    expect((await signIn('bob@example.com', 'correct horse battery staple')).status).toBe(200);

    expect(await ok(['user', 'update', 'bob@example.com', '--role', 'viewer'])).toContain('Updated bob@example.com (Bob), viewer');
    expect(await ok(['user', 'update', 'bob@example.com', '--disable'])).toContain('disabled');
    expect((await signIn('bob@example.com', 'correct horse battery staple')).status).not.toBe(200);
    expect(await ok(['user', 'list'])).toMatch(/bob@example\.com +Bob +viewer +UTC +- +disabled/);

    const bad = await cli(['user', 'create', 'not-an-email', 'X']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('email');
    const zone = await cli(['user', 'update', 'alice@example.com', '--time-zone', 'Mars/Olympus']);
    expect(zone.code).toBe(2);
    expect(zone.stderr).toContain('timeZone');
  }, 120_000);

  it('creates teams, adds and removes members by email', async () => {
    await ok(['user', 'create', 'carol@example.com', 'Carol']);
    expect(await ok(['team', 'create', 'payments', 'Payments', 'Engineering'])).toContain('Created team payments (Payments Engineering)');
    expect(await ok(['team', 'add', 'payments', 'carol@example.com', '--role', 'manager'])).toContain('carol@example.com (manager)');
    await ok(['team', 'add', 'payments', 'alice@example.com']);
    expect(await ok(['team', 'show', 'payments'])).toBe('payments (Payments Engineering): alice@example.com (responder), carol@example.com (manager)\n');
    expect(await ok(['user', 'show', 'carol@example.com'])).toContain('teams: payments (manager)');
    await ok(['team', 'remove', 'payments', 'alice@example.com']);
    expect(await ok(['team', 'list'])).toMatch(/^payments +Payments Engineering +carol@example\.com/m);
    expect(await ok(['team', 'update', 'payments', '--name', 'Payments'])).toContain('Updated team payments (Payments)');
    const missing = await cli(['team', 'add', 'payments', 'nobody@example.com']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('nobody@example.com');
    await ok(['team', 'delete', 'payments']);
    expect(await ok(['team', 'list'])).toContain('No teams yet.');
  }, 120_000);

  it('disables and enables a user, says where they are still named, and dry-runs a policy', async () => {
    await ok(['user', 'create', 'dave@example.com', 'Dave', '--generate-password']);
    await ok(['team', 'create', 'storage', 'Storage']);
    await ok(['team', 'add', 'storage', 'dave@example.com']);
    const dave = JSON.parse(await ok(['user', 'show', 'dave@example.com', '--json'])) as { id: string };
    const team = JSON.parse(await ok(['team', 'show', 'storage', '--json'])) as { id: string };
    const policy = await cli(['policy', 'create', '-'], JSON.stringify({
      name: 'Storage', severities: ['SEV2'],
      levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: dave.id }] }, { delaySeconds: 300, targets: [{ type: 'team', id: team.id }], condition: { severities: ['SEV1'] } }],
    }));
    expect(policy.code, policy.stderr).toBe(0);

    const disabled = await ok(['user', 'disable', 'dave@example.com']);
    expect(disabled).toContain('Disabled dave@example.com (Dave), responder, disabled');
    expect(disabled).toContain('still named in: escalation policy Storage, level 1; team storage');
    expect(await ok(['user', 'show', 'dave@example.com'])).toContain('paged via: escalation policy Storage, level 1; team storage');

    // Dave is named but skipped; level 2 only pages for SEV1.
    const preview = await ok(['policy', 'preview', 'Storage', '--severity', 'SEV2']);
    expect(preview).toContain('Storage for SEV2');
    expect(preview).toMatch(/at once +level 1: pages nobody: user Dave names nobody enabled at that time; skips Dave \(disabled\)/);
    expect(preview).toMatch(/\+5 min +level 2: pages nobody: severity SEV2 is not one of SEV1/);
    const json = JSON.parse(await ok(['policy', 'preview', 'Storage', '--severity', 'SEV2', '--json'])) as { steps: unknown[] };
    expect(json.steps).toHaveLength(2);

    expect(await ok(['user', 'enable', 'dave@example.com'])).toContain('Enabled dave@example.com (Dave), responder');
    // A one-time sign-in link: opened once with a chosen password, it signs in.
    const created = await ok(['user', 'create', 'erin@example.com', 'Erin', '--sign-in-link']);
    const link = /sign-in link .*: (\S+)$/m.exec(created)?.[1];
    expect(link).toMatch(/\/welcome#[\w-]{43}$/);
    const open = (url: string) => fetch(`${server.url}/api/v1/auth/sign-in-link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: url.split('#')[1], password: 'erin-chose-this-one' }) });
    expect((await open(link!)).status).toBe(200);
    expect((await signIn('erin@example.com', 'erin-chose-this-one')).status).toBe(200);
    const again = /: (\S+)$/.exec((await ok(['user', 'link', 'erin@example.com', '--valid-hours', '1'])).trim())?.[1];
    expect(again).not.toBe(link);
    expect((await open(link!)).status).toBe(401);
    expect((await cli(['user', 'link', 'erin@example.com', '--valid-hours', '0'])).stderr).toContain('validHours');
    expect(await ok(['policy', 'preview', 'Storage', '--severity', 'SEV1'])).toMatch(/at once +level 1: pages Dave \(no contact method\)/);
    const bad = await cli(['policy', 'preview', 'Storage', '--severity', 'SEV9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('severity');
    const label = await cli(['policy', 'preview', 'Storage', '--label', 'nonsense']);
    expect(label.code).toBe(2);
    expect(label.stderr).toContain('expected name=value');
  }, 120_000);
});
