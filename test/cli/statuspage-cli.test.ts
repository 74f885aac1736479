import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** `firebreak statuspage …` as an operator runs it: the real binary against a real server process. */
beforeAll(ensureBuilt, 120_000);

describe.each(DIALECTS)('statuspage CLI against a server on %s', (dialect) => {
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

  it('create / component add / publish incident / post / list, seen on the public page', async () => {
    const svc = await fetch(`${server.url}/api/v1/services`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'payments', name: 'Payments' }) });
    expect(svc.status).toBe(201);
    expect(await ok(['statuspage', 'create', 'acme', 'Acme Cloud'])).toMatch(/^Created status page acme \(Acme Cloud\)/);
    await ok(['statuspage', 'component', 'add', 'acme', 'Core', '--group']);
    expect(await ok(['statuspage', 'component', 'add', 'acme', 'Payments', '--in', 'Core', '--services', 'payments'])).toContain('page is All Systems Operational');
    const inc = JSON.parse(await ok(['incident', 'declare', 'db-7 internal', '--severity', 'SEV1', '--service', 'payments', '--json'])) as { number: number };
    expect(await ok(['statuspage', 'publish', 'incident', 'acme', String(inc.number), 'Payments down', '-'], 'We are investigating.')).toMatch(/Published incident \d+ on acme as "Payments down" \(investigating, impact critical\)/);
    expect(await ok(['statuspage', 'post', 'acme', String(inc.number), 'monitoring', 'Fix', 'deployed.'])).toContain('Posted monitoring update on acme');
    expect(await ok(['statuspage', 'list'])).toMatch(/^acme +Acme Cloud +Major System Outage +2/m);
    expect(await ok(['statuspage', 'component', 'status', 'acme', 'Payments', 'under_maintenance'])).toContain('Payments is now under_maintenance');
    const summary = await (await fetch(`${server.url}/status/acme/api/v2/summary.json`)).json() as { incidents: { name: string; status: string }[]; status: { description: string } };
    expect(summary.incidents.map((i) => [i.name, i.status])).toEqual([['Payments down', 'monitoring']]);
    expect(summary.status.description).toBe('Service Under Maintenance');
    const wrong = await cli(['statuspage', 'post', 'acme', String(inc.number), 'fixed', 'x']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('status');
  });

  it('set --auto-publish / show (drafts, mismatches) / publish draft', async () => {
    expect(await ok(['statuspage', 'set', 'acme', '--auto-publish', 'SEV2=draft,SEV1=publish', '--auto-title', '{{ components | join: ", " }} trouble'])).toContain('auto-publish SEV2=draft, SEV1=publish');
    const bad = await cli(['statuspage', 'set', 'acme', '--auto-title', '{{ incident.title }}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('autoPublish.title');
    expect(await ok(['statuspage', 'component', 'status', 'acme', 'Payments', 'auto'])).toContain('Payments is now');
    const inc = JSON.parse(await ok(['incident', 'declare', 'internal words', '--severity', 'SEV2', '--service', 'payments', '--json'])) as { number: number };
    const shown = await ok(['statuspage', 'show', 'acme']);
    expect(shown).toContain(`DRAFT   #${inc.number} "Payments trouble" (investigating): publish with \`firebreak statuspage publish draft acme ${inc.number}\``);
    expect(shown).toContain('auto-publish: SEV2=draft, SEV1=publish');
    expect(await ok(['statuspage', 'publish', 'draft', 'acme', String(inc.number), '--title', 'Payments slow'])).toContain(`Published the draft for incident ${inc.number} on acme as "Payments slow"`);
    const unresolved = await (await fetch(`${server.url}/status/acme/api/v2/incidents/unresolved.json`)).json() as { incidents: { name: string }[] };
    expect(unresolved.incidents.map((i) => i.name)).toContain('Payments slow');
  });

  it('component set / remove: renamed and moved under the same id, removed, bad input names the field', async () => {
    const svc = await fetch(`${server.url}/api/v1/services`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'search', name: 'Search' }) });
    expect(svc.status).toBe(201);
    await ok(['statuspage', 'create', 'moves', 'Moves']);
    await ok(['statuspage', 'component', 'add', 'moves', 'Core', '--group']);
    await ok(['statuspage', 'component', 'add', 'moves', 'Search']);
    await ok(['statuspage', 'component', 'add', 'moves', 'Legacy']);
    const idOf = async (name: string) => (JSON.parse(await ok(['statuspage', 'show', 'moves', '--json'])) as { components: { id: string; name: string; groupId: string | null }[] }).components.find((c) => c.name === name);
    const search = await idOf('Search');
    expect(await ok(['statuspage', 'component', 'set', 'moves', 'Search', '--name', 'Find', '--in', 'Core', '--services', 'search'])).toContain('Changed Find on moves');
    const moved = await idOf('Find');
    expect(moved?.id).toBe(search?.id);
    expect(moved?.groupId).toBe((await idOf('Core'))?.id);
    expect(await ok(['statuspage', 'component', 'set', 'moves', 'Legacy', '--position', '1'])).toContain('Changed Legacy');
    expect(await ok(['statuspage', 'component', 'remove', 'moves', 'Core'])).toContain('Removed Core from moves');
    expect(await ok(['statuspage', 'show', 'moves'])).toMatch(/Legacy[\s\S]*Find/);
    expect((await idOf('Find'))?.groupId).toBeNull();
    const bad = await cli(['statuspage', 'component', 'set', 'moves', 'Find', '--in', 'Legacy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('group');
    const gone = await cli(['statuspage', 'component', 'remove', 'moves', 'Core']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('Core');
  }, 240_000);

  it('subscriber add / list / remove; bad input names the field', async () => {
    await ok(['statuspage', 'create', 'subs', 'Subs']);
    expect(await ok(['statuspage', 'subscriber', 'add', 'subs', 'email', 'ops@example.test', '--confirmed'])).toMatch(/^Added email subscriber ops@example\.test to subs/);
    const hook = await ok(['statuspage', 'subscriber', 'add', 'subs', 'webhook', 'https://hooks.example.com/status']).catch(() => '');
    // The server's outbound guard resolves the host; offline it refuses, which is also a clean 4xx.
    if (hook) expect(hook).toMatch(/Signing secret \(shown once[^)]*\): whsec_/);
    expect(await ok(['statuspage', 'subscriber', 'list', 'subs'])).toMatch(/email +ops@example\.test +yes +all/);
    const bad = await cli(['statuspage', 'subscriber', 'add', 'subs', 'email', 'not-an-address']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('address');
    expect(await ok(['statuspage', 'subscriber', 'remove', 'subs', 'ops@example.test'])).toContain('Removed subscriber ops@example.test from subs');
    expect(await ok(['statuspage', 'subscriber', 'list', 'subs'])).not.toContain('ops@example.test');
    // Seven CLI processes, each a cold Node start: a loaded machine needs more than the default.
  }, 240_000);
});
