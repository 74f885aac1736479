import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from './receivers.js';

/** Re-assigning, paging a person now, and paging the next level now, by hand, through the API. */
describe.each(DIALECTS)('manual paging on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: string;
  const people: Record<'alice' | 'bob' | 'carol', { token: string; userId: string; email: string }> = {} as never;

  const post = (url: string, body: unknown, token = admin) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(admin) });
  const pagesOf = (who: keyof typeof people) => receiver.received.filter((r) => r.path === `/${who}`).length;
  const timeline = async (ref: number) => (await get(`/api/v1/incidents/${ref}/timeline`)).json().items as { kind: string; body: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32' }, workerOptions: { random: () => 0.5 } } });
    admin = (await t.userWithKey('admin')).token;
    for (const who of ['alice', 'bob', 'carol'] as const) {
      people[who] = await t.userWithKey('responder');
      expect((await post('/api/v1/contact-methods', { kind: 'webhook', address: `${receiver.url}/${who}` }, people[who].token)).statusCode).toBe(201);
    }
    const policy = await post('/api/v1/escalation-policies', {
      name: 'Primary then secondary',
      levels: [
        { delaySeconds: 0, targets: [{ type: 'user', id: people.alice.userId }] },
        { delaySeconds: 300, targets: [{ type: 'user', id: people.bob.userId }] },
      ],
      severities: ['SEV1'],
    });
    expect(policy.statusCode, policy.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  async function sev1(title: string) {
    const inc = (await post('/api/v1/incidents', { title, severity: 'SEV1' })).json() as { number: number; id: string };
    await t.paging.worker.drain();
    return inc;
  }

  it('re-assigning pages the new assignee at once and gives them the pending level’s full delay', async () => {
    receiver.received.length = 0;
    const inc = await sev1('reassign me');
    expect(pagesOf('alice')).toBe(1);
    t.clock.advance(100_000);
    const res = await post(`/api/v1/incidents/${inc.number}/reassign`, { user: people.carol.email, note: 'Carol knows this system' }, people.alice.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'triggered', assignee: { id: people.carol.userId }, deliveries: 1, escalationDueAt: new Date(t.clock.now() + 300_000).toISOString() });
    await t.paging.worker.drain();
    expect(pagesOf('carol')).toBe(1);
    const entry = (await timeline(inc.number)).find((e) => e.kind === 'reassigned')!;
    expect(entry.body).toMatch(/^Re-assigned to .+ and paged now\. Escalation continues at level 2 in 300s unless acknowledged\.\n\nCarol knows this system$/);
    // Level 2 was due 300 s after level 1; it now falls due 300 s after the re-assignment.
    t.clock.advance(200_000);
    await t.paging.worker.drain();
    expect(pagesOf('bob')).toBe(0);
    t.clock.advance(100_000);
    await t.paging.worker.drain();
    expect(pagesOf('bob')).toBe(1);
    expect((await get(`/api/v1/incidents/${inc.number}`)).json().assignee.id).toBe(people.carol.userId);
    await post(`/api/v1/incidents/${inc.number}/resolve`, {});
  });

  it('re-assigning an acknowledged incident pages the assignee and leaves escalation stopped', async () => {
    receiver.received.length = 0;
    const inc = await sev1('acked then reassigned');
    expect((await post(`/api/v1/incidents/${inc.number}/acknowledge`, {}, people.alice.token)).statusCode).toBe(200);
    const res = await post(`/api/v1/incidents/${inc.number}/reassign`, { user: people.carol.userId });
    expect(res.json()).toMatchObject({ status: 'acknowledged', escalationDueAt: null });
    t.clock.advance(3_600_000);
    await t.paging.worker.drain();
    expect([pagesOf('alice'), pagesOf('bob'), pagesOf('carol')]).toEqual([1, 0, 1]);
    expect((await timeline(inc.number)).find((e) => e.kind === 'reassigned')!.body).toContain('Escalation stays stopped.');
    await post(`/api/v1/incidents/${inc.number}/resolve`, {});
  });

  it('pages the next level now: through escalation while triggered, by hand once acknowledged', async () => {
    receiver.received.length = 0;
    const inc = await sev1('next level please');
    const res = await post(`/api/v1/incidents/${inc.number}/page`, { level: 'next' }, people.alice.token);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ level: 1, round: 0, mode: 'escalated' });
    await t.paging.worker.drain();
    expect(pagesOf('bob')).toBe(1);
    const kinds = (await timeline(inc.number)).map((e) => [e.kind, e.data.level]);
    expect(kinds).toEqual(expect.arrayContaining([['escalation_advanced', 1], ['paged', 1]]));
    // Every level has been paged now.
    expect((await post(`/api/v1/incidents/${inc.number}/page`, { level: 'next' })).statusCode).toBe(409);

    const acked = await sev1('acked, still want help');
    await post(`/api/v1/incidents/${acked.number}/acknowledge`, {}, people.alice.token);
    const help = await post(`/api/v1/incidents/${acked.number}/page`, { level: 'next', note: 'need a second pair of eyes' }, people.alice.token);
    expect(help.json()).toMatchObject({ level: 1, mode: 'paged', userIds: [people.bob.userId], deliveries: 1 });
    await t.paging.worker.drain();
    expect(pagesOf('bob')).toBe(2);
    const esc = await t.store.db.selectFrom('incident_escalations').select('status').where('incident_id', '=', acked.id).executeTakeFirstOrThrow();
    expect(esc.status).toBe('acknowledged');
    for (const ref of [inc.number, acked.number]) await post(`/api/v1/incidents/${ref}/resolve`, {});
  });

  it('pages a named person now', async () => {
    receiver.received.length = 0;
    const inc = await sev1('page carol');
    const res = await post(`/api/v1/incidents/${inc.number}/page`, { user: people.carol.email, note: 'database expert' });
    expect(res.statusCode).toBe(202);
    await t.paging.worker.drain();
    expect(pagesOf('carol')).toBe(1);
    await post(`/api/v1/incidents/${inc.number}/resolve`, {});
  });

  it('refuses what cannot be done, naming the field or the reason', async () => {
    const inc = await sev1('refusals');
    const unknown = await post(`/api/v1/incidents/${inc.number}/reassign`, { user: 'nobody@example.test' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/^user: /);
    const both = await post(`/api/v1/incidents/${inc.number}/page`, { level: 'next', user: people.bob.userId });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toMatch(/^level: /);
    const noPolicy = (await post('/api/v1/incidents', { title: 'no policy', severity: 'SEV3' })).json();
    const none = await post(`/api/v1/incidents/${noPolicy.number}/page`, { level: 'next' });
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toContain('has no escalation policy');
    await post(`/api/v1/incidents/${inc.number}/resolve`, {});
    expect((await post(`/api/v1/incidents/${inc.number}/reassign`, { user: people.bob.userId })).statusCode).toBe(409);
    const viewer = await t.userWithKey('viewer');
    expect((await post(`/api/v1/incidents/${noPolicy.number}/reassign`, { user: people.bob.userId }, viewer.token)).statusCode).toBe(403);
  });
});
