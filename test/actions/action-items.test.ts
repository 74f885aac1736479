import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDigestTimer } from '../../src/domain/actions/index.js';
import { setDigestTimer } from '../../src/domain/actions/digest-schedule.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver, startSmtpSink } from '../paging/receivers.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe.each(DIALECTS)('action items on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let admin: { token: string; userId: string; email: string };
  let alice: { token: string; userId: string; email: string };
  let bob: { token: string; userId: string; email: string };

  const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown, token = admin.token) => t.app.inject({ method, url, payload: body as object, headers: bearer(token) });
  const post = (url: string, body: unknown, token = admin.token) => send('POST', url, body, token);
  const get = (url: string, token = admin.token) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const iso = (ms: number) => new Date(ms).toISOString();
  const hooks = (kind: string) => receiver.received.filter((r) => JSON.parse(r.body).type === `followup.${kind}`).map((r) => ({ path: r.path, data: JSON.parse(r.body).data }));
  const timeline = async (n: number) => (await get(`/api/v1/incidents/${n}/timeline`)).json().items as { kind: string; body: string }[];

  beforeAll(async () => {
    receiver = await startReceiver();
    smtp = await startSmtpSink();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32', smtpUrl: smtp.url }, workerOptions: { sendTimeoutMs: 2_000, random: () => 0.5 } } });
    admin = await t.userWithKey('admin');
    alice = await t.userWithKey('responder');
    bob = await t.userWithKey('responder');
    expect((await post('/api/v1/contact-methods', { user: alice.userId, kind: 'webhook', address: `${receiver.url}/alice` })).statusCode).toBe(201);
    expect((await post('/api/v1/contact-methods', { user: alice.userId, kind: 'email', address: alice.email })).statusCode).toBe(201);
    expect((await post('/api/v1/contact-methods', { user: bob.userId, kind: 'webhook', address: `${receiver.url}/bob` })).statusCode).toBe(201);
    expect((await post('/api/v1/teams', { slug: 'payments', name: 'Payments' })).statusCode).toBe(201);
    expect((await post('/api/v1/teams', { slug: 'search', name: 'Search' })).statusCode).toBe(201);
    expect((await send('PUT', `/api/v1/teams/payments/members/${alice.userId}`, {})).statusCode).toBe(200);
    expect((await post('/api/v1/services', { slug: 'checkout', name: 'Checkout', team: 'payments' })).statusCode).toBe(201);
    expect((await post('/api/v1/services', { slug: 'search-api', name: 'Search API', team: 'search' })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await smtp?.close();
  });

  const incident = async (title: string, service = 'checkout') => (await post('/api/v1/incidents', { title, severity: 'SEV2', service })).json() as { id: string; number: number };

  it('adds an item with names, not ids; bad input is a 4xx naming the field', async () => {
    const inc = await incident('Card payments failing');
    const res = await post(`/api/v1/incidents/${inc.number}/action-items`, { title: 'Add a circuit breaker', owner: alice.email, dueAt: '2026-03-10', priority: 'high', externalUrl: 'https://tracker.example/PAY-12' });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    expect(item).toMatchObject({
      title: 'Add a circuit breaker', status: 'open', priority: 'high', overdue: false, externalUrl: 'https://tracker.example/PAY-12', postmortemId: null,
      owner: { id: alice.userId, email: alice.email }, incident: { number: inc.number, title: 'Card payments failing' }, service: { slug: 'checkout', name: 'Checkout' },
      dueAt: '2026-03-10T23:59:59.999Z', createdAt: iso(t.clock.now()), closedAt: null,
    });
    expect((await timeline(inc.number)).map((e) => e.kind)).toContain('action_item_added');
    const timer = await t.store.db.selectFrom('timers').selectAll().where('key', '=', `action_due:${item.id}`).executeTakeFirstOrThrow();
    expect(Number(timer.run_at)).toBe(Date.parse('2026-03-10T23:59:59.999Z'));

    const field = async (body: Record<string, unknown>, n = inc.number) => {
      const r = await post(`/api/v1/incidents/${n}/action-items`, { title: 'x', owner: alice.email, dueAt: '2026-04-01', ...body });
      return { status: r.statusCode, field: r.json().issues?.[0]?.field as string | undefined };
    };
    expect(await field({ dueAt: iso(t.clock.now() - 1000) })).toEqual({ status: 400, field: 'dueAt' });
    expect(await field({ dueAt: 'next week' })).toEqual({ status: 400, field: 'dueAt' });
    expect(await field({ externalUrl: 'javascript:alert(1)' })).toEqual({ status: 400, field: 'externalUrl' });
    expect(await field({ externalUrl: 'ftp://example.test/x' })).toEqual({ status: 400, field: 'externalUrl' });
    expect(await field({ owner: 'nobody@example.test' })).toEqual({ status: 400, field: 'owner' });
    expect(await field({ priority: 'urgent' })).toEqual({ status: 400, field: 'priority' });
    expect(await field({ title: ' ' })).toEqual({ status: 400, field: 'title' });
    expect((await field({}, 99_999)).status).toBe(404);
    // Viewers read; they do not write.
    const viewer = await t.userWithKey('viewer');
    expect((await post(`/api/v1/incidents/${inc.number}/action-items`, { title: 'x', owner: alice.email, dueAt: '2026-04-01' }, viewer.token)).statusCode).toBe(403);
    expect((await get(`/api/v1/incidents/${inc.number}/action-items`, viewer.token)).json().items).toHaveLength(1);

    const wont = await post(`/api/v1/action-items/${item.id}/status`, { status: 'wont_do' });
    expect(wont.statusCode).toBe(400);
    expect(wont.json().issues[0].field).toBe('reason');
  });

  it('reminds the owner once when an open item passes its due date; a moved date moves the reminder; closing cancels it', async () => {
    const inc = await incident('Checkout latency');
    const add = (title: string, dueAt: number, owner = alice.email) => post(`/api/v1/incidents/${inc.number}/action-items`, { title, owner, dueAt: iso(dueAt) }).then((r) => r.json() as { id: string });
    const soon = await add('Tune connection pool', t.clock.now() + HOUR);
    const moved = await add('Load test checkout', t.clock.now() + HOUR);
    const closed = await add('Write runbook', t.clock.now() + HOUR, bob.email);
    expect((await send('PATCH', `/api/v1/action-items/${moved.id}`, { dueAt: iso(t.clock.now() + 3 * HOUR) })).statusCode).toBe(200);
    const done = await post(`/api/v1/action-items/${closed.id}/status`, { status: 'done' });
    expect(done.json()).toMatchObject({ status: 'done', closedAt: iso(t.clock.now()) });
    expect(await t.store.db.selectFrom('timers').select('id').where('key', '=', `action_due:${closed.id}`).executeTakeFirst()).toBeUndefined();
    receiver.received.length = 0;

    t.clock.advance(HOUR - 1);
    await t.paging.worker.drain();
    expect(hooks('action_overdue')).toHaveLength(0);
    t.clock.advance(1);
    await t.paging.worker.drain();
    const first = hooks('action_overdue');
    expect(first.map((h) => h.path)).toEqual(['/alice']);
    expect(first[0]!.data.followUp.subject).toBe('Action item overdue: Tune connection pool');
    expect(first[0]!.data.links.incident).toBe(`http://firebreak.test/incidents/${inc.number}`);
    expect((await timeline(inc.number)).filter((e) => e.kind === 'action_item_overdue').map((e) => e.body)).toEqual([expect.stringContaining('Tune connection pool')]);
    const list = (await get(`/api/v1/action-items?overdue=true&owner=${alice.email}`)).json().items as { title: string; overdue: boolean }[];
    expect(list.map((i) => i.title)).toEqual(['Tune connection pool']);

    t.clock.advance(2 * HOUR);
    await t.paging.worker.drain();
    await t.paging.worker.drain();
    expect(hooks('action_overdue').map((h) => h.data.followUp.subject)).toEqual(['Action item overdue: Tune connection pool', 'Action item overdue: Load test checkout']);
    // Bob's item was closed before its due time: never reminded.
    expect(hooks('action_overdue').filter((h) => h.path === '/bob')).toHaveLength(0);
    // A reminder queued, then the item closed before the worker sends it: cancelled, not sent.
    const late = await add('Rotate the card API keys', t.clock.now() + HOUR);
    t.clock.advance(HOUR);
    await t.paging.worker.runTimers();
    const queued = await t.store.db.selectFrom('deliveries').select(['id', 'status']).where('action_key', 'like', `action_due:${late.id}:%`).execute();
    expect(queued.length).toBe(2);
    expect((await post(`/api/v1/action-items/${late.id}/status`, { status: 'done' })).statusCode).toBe(200);
    await t.paging.worker.drain();
    expect(hooks('action_overdue').map((h) => h.data.followUp.subject)).not.toContain('Action item overdue: Rotate the card API keys');
    const after = await t.store.db.selectFrom('deliveries').select(['status', 'last_error']).where('action_key', 'like', `action_due:${late.id}:%`).execute();
    expect(after.map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
    // Editing a closed item is refused; re-opening it works.
    expect((await send('PATCH', `/api/v1/action-items/${closed.id}`, { title: 'y' })).statusCode).toBe(409);
    expect((await post(`/api/v1/action-items/${closed.id}/status`, { status: 'wont_do', reason: 'Superseded by PAY-99' })).json()).toMatchObject({ status: 'wont_do', reason: 'Superseded by PAY-99' });
  });

  it('lists open items from earlier incidents on a new incident of the same service, and filters by team', async () => {
    const before = await incident('Earlier checkout outage');
    const open = (await post(`/api/v1/incidents/${before.number}/action-items`, { title: 'Retry payments idempotently', owner: bob.email, dueAt: iso(t.clock.now() + 5 * DAY) })).json();
    const other = await incident('Search slow', 'search-api');
    await post(`/api/v1/incidents/${other.number}/action-items`, { title: 'Shard the index', owner: bob.email, dueAt: iso(t.clock.now() + 5 * DAY) });
    const next = await incident('Checkout down again');
    const view = (await get(`/api/v1/incidents/${next.number}`)).json();
    const titles = (view.openActionItems as { title: string }[]).map((i) => i.title);
    expect(titles).toContain('Retry payments idempotently');
    expect(titles).not.toContain('Shard the index');
    expect(view.openActionItems.find((i: { id: string }) => i.id === open.id).incident.number).toBe(before.number);
    // Closed items do not show.
    await post(`/api/v1/action-items/${open.id}/status`, { status: 'done' });
    expect(((await get(`/api/v1/incidents/${next.number}`)).json().openActionItems as { id: string }[]).map((i) => i.id)).not.toContain(open.id);

    // Team = items its members own (alice is in payments) and items on services it owns.
    const payments = ((await get('/api/v1/action-items?team=payments')).json().items as { title: string; service: { slug: string } }[]);
    expect(payments.length).toBeGreaterThan(0);
    expect(payments.every((i) => i.service.slug === 'checkout')).toBe(true);
    const search = ((await get('/api/v1/action-items?team=search&status=open')).json().items as { title: string }[]).map((i) => i.title);
    expect(search).toEqual(['Shard the index']);
    expect((await get('/api/v1/action-items?team=nope')).statusCode).toBe(404);
    expect((await get('/api/v1/action-items?status=bogus')).statusCode).toBe(400);
  });

  it('e-mails each team a weekly digest of its open and overdue items, once per week, across a restart', async () => {
    // Sunday 1 March + elapsed; the first Monday 09:00 UTC slot is 2 March, or a week later.
    await ensureDigestTimer(t.ctx(), { enabled: true, day: 'mon', hour: 9, timeZone: 'UTC' });
    const timer = await t.store.db.selectFrom('timers').selectAll().where('key', '=', 'action_digest').executeTakeFirstOrThrow();
    const slot = Number(timer.run_at);
    expect(new Date(slot).getUTCDay()).toBe(1);
    expect(new Date(slot).getUTCHours()).toBe(9);
    expect(slot).toBeGreaterThan(t.clock.now());
    smtp.mails.length = 0;
    // The server was down over the slot: at boot the timer is kept, and the missed week is sent.
    t.clock.set(slot + 30 * 60_000);
    await ensureDigestTimer(t.ctx(), { enabled: true, day: 'mon', hour: 9, timeZone: 'UTC' });
    await t.paging.worker.drain();
    await t.paging.worker.drain();
    const text = (raw: string) => raw.replace(/=\r?\n/g, '');
    const toAlice = smtp.mails.filter((m) => m.to.includes(alice.email));
    expect(toAlice).toHaveLength(1);
    const week = new Date(slot).toISOString().slice(0, 10);
    expect(text(toAlice[0]!.raw)).toMatch(new RegExp(`Subject: Payments: \\d+ open action items, \\d+ overdue \\(week of ${week}\\)`));
    expect(text(toAlice[0]!.raw)).toContain('OVERDUE: Tune connection pool');
    const digests = await t.store.db.selectFrom('action_digests').selectAll().execute();
    expect(digests.map((d) => d.week)).toEqual(digests.map(() => week));
    // The same week again (a second instance, a replayed timer): nothing more is sent.
    await t.store.transaction((tx) => setDigestTimer(t.ctx(), tx, { enabled: true, day: 'mon', hour: 9, timeZone: 'UTC' }, t.clock.now()));
    await t.paging.worker.drain();
    await t.paging.worker.drain();
    expect(smtp.mails.filter((m) => m.to.includes(alice.email))).toHaveLength(1);
    // Next week: one more.
    t.clock.set(slot + 7 * DAY);
    await t.paging.worker.drain();
    await t.paging.worker.drain();
    expect(smtp.mails.filter((m) => m.to.includes(alice.email))).toHaveLength(2);
    expect(await t.store.db.selectFrom('action_digests').select('week').distinct().execute()).toHaveLength(2);
  });

  it('post-incident checklists: on_resolve templates add tasks in their time windows with due times, and remind the commander', async () => {
    const tpl = await post('/api/v1/checklist-templates', {
      slug: 'post-incident', name: 'Post-incident', severities: ['SEV2'], trigger: 'on_resolve',
      groups: [
        { name: 'Immediate (0–1 h)', dueOffsetSeconds: 3600, items: ['Tell support it is over', { title: 'Export the timeline', dueOffsetSeconds: 1800 }] },
        { name: 'Short-term (1–24 h)', dueOffsetSeconds: 86_400, items: ['Draft the post-mortem'] },
        { name: 'Long-term (1–7 days)', dueOffsetSeconds: 7 * 86_400, items: ['Review action items'] },
      ],
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    expect(tpl.json()).toMatchObject({ trigger: 'on_resolve', groups: [{ name: 'Immediate (0–1 h)' }, {}, {}] });
    const bad = await post('/api/v1/checklist-templates', { slug: 'empty', name: 'Empty', severities: ['SEV2'], trigger: 'on_resolve' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('items');
    expect((await post('/api/v1/checklist-templates', { slug: 'bad', name: 'Bad', severities: ['SEV2'], trigger: 'later', items: ['x'] })).json().issues[0].field).toBe('trigger');

    const inc = await incident('Checkout errors after deploy');
    expect(((await get(`/api/v1/incidents/${inc.number}`)).json().tasks as unknown[])).toHaveLength(0);
    expect((await send('PUT', `/api/v1/incidents/${inc.number}/roles/commander`, { user: bob.userId })).statusCode).toBe(200);
    expect((await post(`/api/v1/incidents/${inc.number}/resolve`, {})).statusCode).toBe(200);
    const resolvedAt = t.clock.now();
    const tasks = (await get(`/api/v1/incidents/${inc.number}`)).json().tasks as { title: string; dueAt?: string; group?: string }[];
    expect(tasks.map((x) => [x.title, x.group, x.dueAt])).toEqual([
      ['Tell support it is over', 'Immediate (0–1 h)', iso(resolvedAt + HOUR)],
      ['Export the timeline', 'Immediate (0–1 h)', iso(resolvedAt + HOUR / 2)],
      ['Draft the post-mortem', 'Short-term (1–24 h)', iso(resolvedAt + DAY)],
      ['Review action items', 'Long-term (1–7 days)', iso(resolvedAt + 7 * DAY)],
    ]);
    receiver.received.length = 0;
    // Half an hour later, "Export the timeline" is due and not done: the commander is reminded.
    t.clock.advance(HOUR / 2);
    await t.paging.worker.drain();
    await t.paging.worker.drain();
    expect(hooks('task_due').map((h) => [h.path, h.data.followUp.subject])).toEqual([['/bob', 'Task due: Export the timeline']]);
    // A task done before its time is not reminded.
    const full = (await get(`/api/v1/incidents/${inc.number}`)).json().tasks as { id: string; title: string }[];
    const tell = full.find((x) => x.title === 'Tell support it is over')!;
    expect((await send('PATCH', `/api/v1/incidents/${inc.number}/tasks/${tell.id}`, { done: true })).statusCode).toBe(200);
    t.clock.advance(HOUR);
    await t.paging.worker.drain();
    expect(hooks('task_due')).toHaveLength(1);
  });
});
