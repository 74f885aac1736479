import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute, freePort, ROOT } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

/**
 * The real `firebreak` binary against a real server process, once per database: what an
 * operator or a script sees, including exit codes. Nothing is mocked; the CLI is a separate
 * process talking HTTP, and `apikey create --local` writes to the database the server uses.
 */

beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('firebreak CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ChildProcess;
  let serverOut = '';
  let url = '';
  let token = '';

  const cli = (args: string[], options: { key?: string | null; url?: string; input?: string } = {}) => {
    const env: Record<string, string> = { FIREBREAK_URL: options.url ?? url };
    const key = options.key === undefined ? token : options.key;
    if (key !== null) env.FIREBREAK_API_KEY = key;
    return execute(process.execPath, [BIN, ...args], { env: cleanEnv(env), input: options.input });
  };
  const json = async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
    const run = await cli([...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as T;
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--database', db.url], {
      cwd: ROOT,
      env: cleanEnv({ FIREBREAK_LOG: 'silent' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let serverErr = '';
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => (serverOut += chunk));
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (serverErr += chunk));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${serverOut}\n${serverErr}`);
      const ready = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
      // The password is printed just after listen(); wait for it too.
      if (ready && /^\s*password\s+\S+$/m.test(serverOut)) break;
      if (Date.now() > deadline) throw new Error(`server not ready after 20s:\n${serverOut}\n${serverErr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const boot = await cli(['apikey', 'create', '--local', '--name', 'bootstrap', '--database', db.url, '--json'], { key: null, url: 'http://127.0.0.1:9' });
    expect(boot.stderr).toBe('');
    token = (JSON.parse(boot.stdout) as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await db?.drop();
  });

  it('starts with a first-admin password on stdout that signs in, and a --local key that acts as admin', async () => {
    const password = /^\s*password\s+(\S+)$/m.exec(serverOut)?.[1];
    const email = /^\s*email\s+(\S+)$/m.exec(serverOut)?.[1];
    expect(password).toBeTruthy();
    const signIn = await fetch(`${url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(signIn.status).toBe(200);

    expect(token).toMatch(/^fbk_/);
    const keys = await json<{ items: { name: string; userId: string | null; scopes: string[] }[] }>(['apikey', 'list']);
    expect(keys.items).toContainEqual(expect.objectContaining({ name: 'bootstrap', userId: null, scopes: ['admin'] }));
  });

  it('declares, lists and shows incidents, for humans and with --json', async () => {
    const [declared, second] = await Promise.all([
      cli(['incident', 'declare', 'Checkout', '5xx', 'spike', '--severity', 'sev1', '--summary', 'Errors at *40%*']),
      json<{ id: string; number: number; status: string; severity: string; roles: unknown[] }>(['incident', 'declare', 'Login slow', '--severity', 'SEV3']),
    ]);
    expect(declared.stderr).toBe('');
    expect(declared.code).toBe(0);
    expect(declared.stdout).toMatch(/^Declared #\d+ {2}SEV1 {2}triggered {2}Checkout 5xx spike\n {2}inc_[0-9a-z]{26}\n$/);
    expect(declared.stdout).not.toContain('\x1b[');
    expect(second).toMatchObject({ id: expect.stringMatching(/^inc_/), status: 'triggered', severity: 'SEV3', roles: [] });

    const [list, page, show, detail] = await Promise.all([
      cli(['incident', 'list']),
      json<{ items: { number: number }[]; nextCursor: string | null }>(['incident', 'list', '--severity', 'SEV3']),
      cli(['incident', 'show', `#${second.number}`]),
      json<{ id: string; tasks: unknown[]; timeline: { kind: string }[] }>(['incident', 'show', second.id]),
    ]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# +SEV +STATUS +TITLE +SERVICE +COMMANDER +DECLARED$/);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^#${second.number} +SEV3 +triggered +Login slow +- +- +just now$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +SEV1 +triggered +Checkout 5xx spike +- +- +just now$/));
    // Columns line up: every row starts its TITLE where the header does.
    const titleAt = lines[0]!.indexOf('TITLE');
    expect(lines.slice(1).every((l) => l[titleAt - 1] === ' ' && l[titleAt] !== ' ')).toBe(true);

    expect(page).toEqual({ items: [expect.objectContaining({ number: second.number })], nextCursor: null });

    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`#${second.number}  Login slow`);
    expect(show.stdout).toMatch(/Timeline\n {2}AT +WHAT +WHO +DETAIL\n {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +declared +bootstrap/);
    expect(detail.id).toBe(second.id);
    expect(detail.tasks).toEqual([]);
    expect(detail.timeline.map((e) => e.kind)).toEqual(['declared']);
  });

  it('works an incident from ack to resolve', async () => {
    const inc = await json<{ number: number }>(['incident', 'declare', 'DB failover', '--severity', 'SEV2']);
    const ref = String(inc.number);
    const ack = await cli(['incident', 'ack', ref, '--note', 'on it']);
    expect(ack).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Acknowledged #\d+ {2}SEV2 {2}acknowledged {2}DB failover\n$/) });

    // Independent changes, run side by side as several responders would.
    const [noteArg, noteStdin, assign, task, severity] = await Promise.all([
      cli(['incident', 'note', ref, 'Replica', 'lag', 'is', 'back', 'to', '0']),
      cli(['incident', 'note', `#${ref}`, '-'], { input: 'pasted\nfrom stdin\n' }),
      cli(['incident', 'assign', ref, 'commander', 'admin@firebreak.local']),
      json<{ id: string; done: boolean }>(['incident', 'task', 'add', ref, 'Page', 'the', 'DB', 'on-call']),
      cli(['incident', 'severity', ref, 'SEV1', '--reason', 'EU affected']),
    ]);
    expect([noteArg.code, noteStdin.code, severity.code]).toEqual([0, 0, 0]);
    expect(assign).toMatchObject({ code: 0, stdout: `#${ref} commander: Administrator\n` });
    expect(task.done).toBe(false);

    const [done, handoff, scribe] = await Promise.all([
      json<{ done: boolean }>(['incident', 'task', 'done', ref, task.id]),
      cli(['incident', 'handoff', ref, '--to', 'admin@firebreak.local', '--state', 'stable', '--next', 'watch p99']),
      cli(['incident', 'assign', ref, 'scribe', 'admin@firebreak.local']),
    ]);
    expect(done.done).toBe(true);
    expect(handoff).toMatchObject({ code: 0, stdout: `#${ref} commander handed to Administrator\n` });
    expect(scribe.code).toBe(0);

    const [monitoring, cleared] = await Promise.all([
      json<{ status: string }>(['incident', 'status', ref, 'monitoring']),
      cli(['incident', 'assign', ref, 'scribe', '--clear']),
    ]);
    expect(monitoring.status).toBe('monitoring');
    expect(cleared.stdout).toBe(`#${ref} scribe: nobody\n`);
    expect((await cli(['incident', 'resolve', ref])).code).toBe(0);

    const [detail, open] = await Promise.all([
      json<{ status: string; severity: string; roles: { role: string }[]; tasks: { done: boolean }[]; timeline: { kind: string; body: string }[] }>(['incident', 'show', ref]),
      json<{ items: { number: number }[] }>(['incident', 'list', '--status', 'open', '--limit', '200']),
    ]);
    expect(detail).toMatchObject({ status: 'resolved', severity: 'SEV1', roles: [{ role: 'commander' }] });
    expect(detail.tasks).toEqual([expect.objectContaining({ done: true })]);
    const notes = detail.timeline.filter((e) => e.kind === 'note').map((e) => e.body.trim());
    expect(notes.sort()).toEqual(['Replica lag is back to 0', 'pasted\nfrom stdin']);
    expect(open.items.map((i) => i.number)).not.toContain(inc.number);
  });

  it('follows cursors with --all', async () => {
    const [everything, paged, onePage] = await Promise.all([
      json<{ items: unknown[] }>(['incident', 'list', '--limit', '200']),
      json<{ items: unknown[]; nextCursor: string | null }>(['incident', 'list', '--limit', '1', '--all']),
      cli(['incident', 'list', '--limit', '1']),
    ]);
    expect(everything.items.length).toBeGreaterThan(2);
    expect(paged.items).toHaveLength(everything.items.length);
    expect(paged.nextCursor).toBeNull();
    expect(onePage.stdout).toContain('(more incidents match: add --all, or raise --limit)');
  });

  it('creates, lists and revokes API keys over HTTP; a read key cannot declare', async () => {
    const created = await cli(['apikey', 'create', '--name', 'dashboard', '--scopes', 'read']);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('shown only once');
    const readToken = /(fbk_\S+)/.exec(created.stdout)?.[1];
    expect(readToken).toBeTruthy();
    const key = (await json<{ items: { id: string; name: string }[] }>(['apikey', 'list'])).items.find((k) => k.name === 'dashboard')!;

    expect((await cli(['incident', 'list'], { key: readToken! })).code).toBe(0);
    const forbidden = await cli(['incident', 'declare', 'x', '--severity', 'SEV4'], { key: readToken! });
    expect(forbidden.code).toBe(5);
    expect(forbidden.stderr).toMatch(/^error: .*'respond' permission/);

    const revoked = await json<{ revokedAt: string | null }>(['apikey', 'revoke', key.id]);
    expect(revoked.revokedAt).not.toBeNull();
    expect((await cli(['incident', 'list'], { key: readToken! })).code).toBe(5);
  });

  it.concurrent.each<[string, string[], { key?: string | null; url?: string }, number, RegExp]>([
    ['unknown severity is a validation error', ['incident', 'declare', 'x', '--severity', 'SEV9'], {}, 2, /^error: severity: /],
    ['a missing required flag is a usage error', ['incident', 'declare', 'x'], {}, 2, /required option '--severity <sev>'/],
    ['a bad status name is a validation error', ['incident', 'status', '1', 'sleeping'], {}, 2, /^error: status: /],
    ['an unknown incident is not found', ['incident', 'show', '99999'], {}, 3, /^error: incident 99999 was not found/],
    ['a bad key is unauthorized', ['incident', 'list'], { key: 'fbk_not_a_real_key' }, 5, /^error: the API key is not valid/],
    ['no key at all is unauthorized, with a hint', ['incident', 'list'], { key: null }, 5, /FIREBREAK_API_KEY.*apikey create --local/],
  ])('%s', async (_name, args, options, code, stderr) => {
    const run = await cli(args, options);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(stderr);
    expect(run.code).toBe(code);
  });

  it.concurrent('exits 4 on a conflict (acknowledging twice)', async () => {
    const inc = await json<{ number: number }>(['incident', 'declare', 'twice', '--severity', 'SEV4']);
    expect((await cli(['incident', 'ack', String(inc.number)])).code).toBe(0);
    const again = await cli(['incident', 'ack', String(inc.number)]);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^error: cannot acknowledge an incident that is acknowledged/);
  });

  it.concurrent('exits 6 when no server answers, naming the URL', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const run = await cli(['incident', 'list'], { url: nobody });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain(`cannot reach Firebreak at ${nobody}`);
  });
});
