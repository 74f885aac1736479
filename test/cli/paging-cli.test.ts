import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ensureBuilt, execute } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { adminKey, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startReceiver, startSmtpSink } from '../paging/receivers.js';

/**
 * `firebreak contact …`, `firebreak incident reassign|page` and `firebreak route add
 * --escalation-policy` as an operator runs them: the real binary against a real server process
 * whose worker delivers to a local HTTP receiver and a real SMTP server.
 */
beforeAll(ensureBuilt, 120_000);

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(DIALECTS)('paging CLI against a server on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let token = '';
  let bob = { id: '', email: 'bob@cli.test' };

  const cli = (args: string[]) => execute(process.execPath, [BIN, ...args], { env: cleanEnv({ FIREBREAK_URL: server.url, FIREBREAK_API_KEY: token }) });
  const json = async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
    const run = await cli([...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as T;
  };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as T;
  };
  const at = (path: string) => receiver.received.filter((r) => r.path === path);
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

  beforeAll(async () => {
    receiver = await startReceiver((r) => ({ status: r.path === '/broken' ? 500 : 200 }));
    smtp = await startSmtpSink();
    db = await createTestDatabase(dialect);
    server = await startServerProcess(db.url, { FIREBREAK_OUTBOUND_ALLOW: '127.0.0.1/32', FIREBREAK_SMTP_URL: smtp.url, FIREBREAK_SMTP_FROM: 'Firebreak <firebreak@cli.test>' });
    token = await adminKey(server.url, server.password!);
    const user = await api<{ id: string }>('POST', '/api/v1/users', { email: bob.email, name: 'Bob', role: 'responder' });
    bob = { ...bob, id: user.id };
  }, 60_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await Promise.race([server?.exited, new Promise((r) => setTimeout(r, 5000))]);
    await db?.drop();
    await receiver?.close();
    await smtp?.close();
  });

  it('contact add / list / test / remove: for yourself, and as an admin for someone else', async () => {
    const mine = await json<{ id: string; kind: string; secret: string }>(['contact', 'add', 'webhook', `${receiver.url}/me`, '--label', 'my hook']);
    expect(mine.secret).toMatch(/^whsec_/);
    const human = await cli(['contact', 'add', 'email', bob.email, '--user', bob.email]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Added email bob@cli\.test {2}cm_\w+\n {2}try it: firebreak contact test cm_\w+$/m);
    const bobsEmail = /cm_\w+/.exec(human.stdout)![0];

    const list = await cli(['contact', 'list']);
    expect(list.stdout).toMatch(new RegExp(`^${mine.id} +webhook +my hook +${receiver.url}/me +0s +active$`, 'm'));
    expect((await json<{ items: { id: string }[] }>(['contact', 'list', '--user', bob.email])).items.map((c) => c.id)).toEqual([bobsEmail]);

    // Test-sends go through the real channels and report what happened.
    const hook = await cli(['contact', 'test', mine.id]);
    expect(hook.code, hook.stderr).toBe(0);
    expect(hook.stdout).toMatch(/^Delivered through webhook \(HTTP 200, \d+ ms\) {2}dlv_\w+$/m);
    expect(JSON.parse(at('/me')[0]!.body).type).toBe('firebreak.test');
    const mail = await cli(['contact', 'test', bobsEmail]);
    expect(mail.code, mail.stderr).toBe(0);
    expect(mail.stdout).toMatch(/^Delivered through email/);
    expect(mailsTo(bob.email)).toHaveLength(1);

    const broken = await json<{ id: string }>(['contact', 'add', 'webhook', `${receiver.url}/broken`]);
    const failed = await cli(['contact', 'test', broken.id]);
    expect(failed.code).toBe(6);
    expect(failed.stderr).toMatch(/^error: Not delivered through webhook: HTTP 500.*; it will be retried {2}dlv_\w+$/m);

    expect((await cli(['contact', 'remove', broken.id])).code).toBe(0);
    expect((await json<{ items: { id: string }[] }>(['contact', 'list'])).items.map((c) => c.id)).toEqual([mine.id]);
    expect((await cli(['contact', 'add', 'pager', '555-0100'])).code).toBe(2);
  });

  it('incident reassign and incident page --user / --next page people at once', async () => {
    const me = (await api<{ actor: { userId: string } }>('GET', '/api/v1/auth/session')).actor.userId;
    await api('POST', '/api/v1/escalation-policies', {
      name: 'CLI policy',
      levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: me }] }, { delaySeconds: 600, targets: [{ type: 'user', id: bob.id }] }],
      severities: ['SEV1'],
    });
    receiver.received.length = 0;
    smtp.mails.length = 0;
    const inc = await json<{ number: number }>(['incident', 'declare', 'CLI paging', '--severity', 'SEV1']);
    await until('level 1 page', () => at('/me').find((r) => JSON.parse(r.body).type === 'incident.triggered'));

    const reassign = await cli(['incident', 'reassign', String(inc.number), bob.email, '--note', 'Bob owns it']);
    expect(reassign.code, reassign.stderr).toBe(0);
    expect(reassign.stdout).toMatch(/^Re-assigned #\d+ +SEV1 +triggered +CLI paging to Bob\n {2}paged now \(1 notification\); escalation continues in 10m$/m);
    await until('the re-assignment email', () => (mailsTo(bob.email).length === 1 ? true : undefined));

    const next = await cli(['incident', 'page', String(inc.number), '--next']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout.trim()).toBe('Level 2 falls due now; the escalation worker pages it');
    await until('the level 2 email', () => (mailsTo(bob.email).length === 2 ? true : undefined));

    const person = await cli(['incident', 'page', String(inc.number), '--user', 'admin@process.test', '--note', 'come back']);
    expect(person.code, person.stderr).toBe(0);
    expect(person.stdout.trim()).toMatch(/^Paged (?!usr_)[^:]+: 1 notification queued$/);
    // Someone without a contact method: said so, by name, with what to do.
    expect((await cli(['user', 'create', 'carol@process.test', 'Carol'])).code).toBe(0);
    const unreachable = await cli(['incident', 'page', String(inc.number), '--user', 'carol@process.test']);
    expect(unreachable.code, unreachable.stderr).toBe(0);
    expect(unreachable.stdout).toContain('Paged Carol: 0 notifications queued');
    expect(unreachable.stdout).toContain('Carol <carol@process.test> has no contact method, so nothing was sent to them');
    await until('the manual page', () => (at('/me').filter((r) => JSON.parse(r.body).type === 'incident.triggered').length === 2 ? true : undefined));

    const neither = await cli(['incident', 'page', String(inc.number)]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toBe('error: user: give exactly one of --user, --schedule or --next\n');
    const show = await json<{ assignee: { name: string }; timeline: { kind: string }[] }>(['incident', 'show', String(inc.number)]);
    expect(show.assignee.name).toBe('Bob');
    expect(show.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['reassigned', 'escalation_advanced']));
  });

  it('route add and service create/update take --escalation-policy; a policy in use cannot be deleted', async () => {
    const rule = await json<{ id: string; escalationPolicy: string }>(['route', 'add', 'component=coordinator', '--name', 'coordinators', '--escalation-policy', 'CLI policy']);
    expect(rule.escalationPolicy).toMatch(/^pol_/);
    // The policy by name, not by id.
    expect(rule.escalationPolicy).toMatch(/^pol_/);
    expect((await cli(['route', 'list'])).stdout).toMatch(/coordinators +component="coordinator" +any +policy CLI policy$/m);
    const created = await cli(['service', 'create', 'grey', 'Grey', 'cluster', '--escalation-policy', 'CLI policy']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created grey {2}Grey cluster {2}team - {2}pages with CLI policy {2}svc_\w+$/m);
    expect((await cli(['service', 'list'])).stdout).toMatch(/^grey +Grey cluster +- +CLI policy +-$/m);
    const cleared = await json<{ escalationPolicy: unknown }>(['service', 'update', 'grey', '--escalation-policy', 'none']);
    expect(cleared.escalationPolicy).toBeNull();
    const shown = (await cli(['policy', 'show', 'CLI policy'])).stdout;
    expect(shown).toMatch(/^ {2}used by severity SEV1, routing rule coordinators \(rr_\w+\)$/m);
    // Targets by name, not by id.
    expect(shown).toMatch(/^ {2}level 2 after 600s: user Bob$/m);
    const inUse = await cli(['policy', 'delete', 'CLI policy']);
    expect(inUse.code).toBe(4);
    expect(inUse.stderr).toMatch(/^error: escalation policy CLI policy is still used by severity SEV1, routing rule coordinators \(rr_\w+\); point them/);
    const unknown = await cli(['route', 'add', 'x=y', '--name', 'bad', '--escalation-policy', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: escalationPolicy: /);
  });

  it("schedule feed --user prints the subscribable calendar of one person's shifts", async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await api('POST', '/api/v1/schedules', {
      name: 'Bob nights', timeZone: 'UTC',
      layers: [{ id: 'base', name: 'Bob alone', rotation: { type: 'daily', handoffTime: '00:00', startDate: yesterday, members: [bob.id] } }],
    });
    const run = await cli(['schedule', 'feed', '--user', bob.email]);
    expect(run.code, run.stderr).toBe(0);
    // The server's public URL (PUBLIC_URL, here derived from PORT=0) is not the test's loopback address: fetch its path here.
    const printed = new URL(run.stdout.trim());
    expect(`${printed.pathname}${printed.search}`).toMatch(new RegExp(`^/ical/users/${bob.id}\\.ics\\?token=\\S+$`));
    const url = `${server.url}${printed.pathname}${printed.search}`;
    const ics = await fetch(url);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const body = await ics.text();
    expect(body).toContain('X-WR-CALNAME:On-call shifts of Bob');
    expect(body).toMatch(/SUMMARY:[^\r\n]*Bob nights/);
    // Without the token the feed is not there.
    expect((await fetch(url.replace(/\?token=.*$/, ''))).status).toBe(404);
    const neither = await cli(['schedule', 'feed']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/^error: schedule: name a schedule, or pass --user/);
  });
});
