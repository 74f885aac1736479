import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FANOUT_BATCH } from '../../src/domain/subscribers/expand-notifications.js';
import { verifyWebhook } from '../../src/notify/webhook/sign.js';
import { claimDeliveries } from '../../src/worker/delivery-queue.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver, startSmtpSink, type Mail } from '../paging/receivers.js';
import { insertConfirmedSubscribers } from './subscriber-rows.js';

/** The decoded text part of a raw mail (quoted-printable soft breaks joined). */
const textOf = (m: Mail) => m.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
/** Header lines unfolded (long ones are folded onto continuation lines). */
const headersOf = (m: Mail) => m.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
const linkIn = (m: Mail, kind: 'confirm' | 'unsubscribe') => {
  const re = kind === 'confirm' ? /http:\/\/firebreak\.test(\/status\/[a-z-]+\/subscribe\/confirm\?token=[A-Za-z0-9_%-]+)/ : /http:\/\/firebreak\.test(\/status\/[a-z-]+\/unsubscribe\?token=[A-Za-z0-9_%-]+)/;
  const m2 = re.exec(textOf(m));
  if (!m2) throw new Error(`no ${kind} link in ${m.raw}`);
  return m2[1]!;
};

describe.each(DIALECTS)('status page subscribers on %s', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let admin: { token: string };
  let responder: { token: string };
  let incident: number;
  let secret: string;

  const post = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const form = (url: string, body: string, ip = '10.0.0.1') => t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, remoteAddress: ip });
  const drain = async () => { await t.paging.worker.drain(); };
  const mailsTo = (addr: string) => smtp.mails.filter((m) => m.to.includes(addr));

  beforeAll(async () => {
    smtp = await startSmtpSink();
    hook = await startReceiver();
    // The test clock stands still while the worker drains, so a fan-out's narrow first second
    // (fanoutStartMs, tested in fanout-yields-to-pages.test.ts) would never end here.
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32', smtpUrl: smtp.url }, workerOptions: { sendTimeoutMs: 10_000, fanoutStartMs: 0 } } });
    admin = await t.userWithKey('admin');
    responder = await t.userWithKey('responder');
    for (const slug of ['payments', 'search']) expect((await post('/api/v1/services', { slug, name: slug })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages', { slug: 'acme', name: 'Acme' })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages', { slug: 'other', name: 'Other' })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/acme/components', { name: 'Payments', services: ['payments'] })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/acme/components', { name: 'Search', services: ['search'] })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/other/components', { name: 'Widget' })).statusCode).toBe(201);
    incident = (await post('/api/v1/incidents', { title: 'internal db OOM', severity: 'SEV2', service: 'payments' })).json().number;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await hook?.close();
  });

  it('double opt-in: the form queues a confirmation mail; only a confirmed address is notified', async () => {
    const res = await form('/status/acme/subscribe', 'email=Ann%40Example.test');
    expect(res.statusCode, res.body).toBe(202);
    expect(res.body).toContain('Check your inbox');
    // Nobody confirmed yet: publishing sends nothing to anyone.
    await drain();
    expect(mailsTo('ann@example.test')).toHaveLength(1);
    const confirmMail = mailsTo('ann@example.test')[0]!;
    expect(headersOf(confirmMail)).toMatch(/Subject: Confirm your subscription to Acme status/);
    expect(headersOf(confirmMail)).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    const confirm = linkIn(confirmMail, 'confirm');
    // A GET (a mail scanner) does not confirm; the page's button POSTs.
    expect((await t.app.inject({ method: 'GET', url: confirm })).body).toContain('<form method="post"');
    expect((await post('/api/v1/status-pages/acme/subscribers', undefined)).statusCode).toBe(400);
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/status-pages/acme/subscribers', headers: bearer(admin.token) })).json().items;
    expect(before.map((s: { address: string; confirmed: boolean }) => [s.address, s.confirmed])).toEqual([['ann@example.test', false]]);
    const ok = await t.app.inject({ method: 'POST', url: confirm });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.body).toContain('You are subscribed');
    // An unconfirmed one stays silent.
    expect((await form('/status/acme/subscribe', 'email=bob%40example.test')).statusCode).toBe(202);
    await drain();

    const pub = await post('/api/v1/status-pages/acme/incidents', { incident: String(incident), name: 'Card payments failing', body: 'We are looking into it.' }, responder.token);
    expect(pub.statusCode, pub.body).toBe(201);
    await drain();
    const ann = mailsTo('ann@example.test');
    expect(ann).toHaveLength(2);
    expect(headersOf(ann[1]!)).toMatch(/Subject: \[Acme\] Investigating: Card payments failing/);
    expect(textOf(ann[1]!)).toContain('We are looking into it.');
    expect(headersOf(ann[1]!)).toMatch(/List-Unsubscribe: <http:\/\/firebreak\.test\/status\/acme\/unsubscribe\?token=/);
    expect(ann[1]!.raw).not.toContain('internal db OOM');
    expect(mailsTo('bob@example.test')).toHaveLength(1); // only bob's confirmation
  });

  it('webhook subscribers get the Statuspage payload, signed, with a stable id; per component', async () => {
    const created = await post('/api/v1/status-pages/acme/subscribers', { kind: 'webhook', address: `${hook.url}/all` });
    expect(created.statusCode, created.body).toBe(201);
    secret = created.json().secret;
    expect(secret).toMatch(/^whsec_/);
    // Listing never shows the secret again.
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/status-pages/acme/subscribers', headers: bearer(admin.token) });
    expect(list.body).not.toContain(secret);
    expect((await post('/api/v1/status-pages/acme/subscribers', { kind: 'webhook', address: `${hook.url}/search-only`, components: ['Search'] })).statusCode).toBe(201);

    expect((await post(`/api/v1/status-pages/acme/incidents/${incident}/updates`, { status: 'identified', body: 'Bad deploy found.' }, responder.token)).statusCode).toBe(201);
    await drain();
    const calls = hook.received.filter((r) => r.path === '/all');
    expect(calls).toHaveLength(1);
    expect(hook.received.filter((r) => r.path === '/search-only')).toHaveLength(0);
    const call = calls[0]!;
    expect(verifyWebhook(secret, { id: String(call.headers['webhook-id']), timestamp: String(call.headers['webhook-timestamp']), signature: String(call.headers['webhook-signature']) }, call.body, Math.floor(t.clock.now() / 1000))).toBe(true);
    const body = JSON.parse(call.body);
    expect(Object.keys(body)).toEqual(['meta', 'page', 'incident']);
    expect(Object.keys(body.meta)).toEqual(['unsubscribe', 'documentation']);
    expect(body.page).toMatchObject({ status_indicator: expect.any(String), status_description: expect.any(String) });
    expect(body.incident).toMatchObject({ name: 'Card payments failing', status: 'identified', impact: expect.any(String), backfilled: false, scheduled_for: null });
    expect(body.incident.incident_updates[0]).toMatchObject({ status: 'identified', body: 'Bad deploy found.' });
    expect(body.incident.components.map((c: { name: string }) => c.name)).toEqual(['Payments']);
    expect(body.incident.shortlink).toMatch(/^http:\/\/firebreak\.test\/status\/acme#incident-/);

    // A component status change: the component_update shape, to the Search subscriber too.
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/status-pages/acme/components/Search/status', payload: { status: 'partial_outage' }, headers: bearer(responder.token) })).statusCode).toBe(200);
    await drain();
    const change = JSON.parse(hook.received.filter((r) => r.path === '/search-only')[0]!.body);
    expect(Object.keys(change)).toEqual(['meta', 'page', 'component_update', 'component']);
    expect(change.component_update).toMatchObject({ old_status: 'operational', new_status: 'partial_outage' });
    expect(change.component).toMatchObject({ name: 'Search', status: 'partial_outage' });
    // Each delivery id is unique per subscriber and notification.
    const ids = hook.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a retried webhook carries the same id', async () => {
    let failures = 1;
    hook.setMode((r) => (r.path === '/all' && failures-- > 0 ? { status: 503 } : { status: 200 }));
    const before = hook.received.length;
    expect((await post(`/api/v1/status-pages/acme/incidents/${incident}/updates`, { status: 'monitoring', body: 'Fix deployed.' }, responder.token)).statusCode).toBe(201);
    await drain();
    t.clock.advance(10 * 60_000);
    await drain();
    hook.setMode(() => ({ status: 200 }));
    const mine = hook.received.slice(before).filter((r) => r.path === '/all');
    expect(mine.length).toBe(2);
    expect(mine[0]!.headers['webhook-id']).toBe(mine[1]!.headers['webhook-id']);
  });

  it('one-click unsubscribe (RFC 8058 POST) works without an account and stops notifications', async () => {
    const last = mailsTo('ann@example.test').at(-1)!;
    const unsub = linkIn(last, 'unsubscribe');
    expect((await t.app.inject({ method: 'GET', url: unsub })).body).toContain('<form method="post"');
    const res = await t.app.inject({ method: 'POST', url: unsub, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode, res.body).toBe(200);
    const count = mailsTo('ann@example.test').length;
    expect((await post(`/api/v1/status-pages/acme/incidents/${incident}/updates`, { status: 'resolved', body: 'All good.' }, responder.token)).statusCode).toBe(201);
    await drain();
    expect(mailsTo('ann@example.test')).toHaveLength(count);
    // Clicking again is not an error.
    expect((await t.app.inject({ method: 'POST', url: unsub })).statusCode).toBe(200);
  });

  it('bad input is a 4xx naming the field; the public answer never reveals a subscription', async () => {
    const bad = await post('/api/v1/status-pages/acme/subscribers', { kind: 'email', address: 'not-an-address' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('address');
    const ssrf = await post('/api/v1/status-pages/acme/subscribers', { kind: 'webhook', address: 'http://169.254.169.254/latest' });
    expect(ssrf.statusCode).toBe(400);
    expect(ssrf.json().issues[0].field).toBe('address');
    const foreign = await post('/api/v1/status-pages/acme/subscribers', { kind: 'email', address: 'x@example.test', components: ['Widget'] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().issues[0].field).toBe('components.0');
    const json = await t.app.inject({ method: 'POST', url: '/status/acme/subscribe', payload: { email: 'nope' }, remoteAddress: '10.0.0.2' });
    expect(json.statusCode).toBe(400);
    expect(json.json().issues[0].field).toBe('email');
    // Known, confirmed-then-gone, and new addresses get byte-identical answers.
    const a = await t.app.inject({ method: 'POST', url: '/status/acme/subscribe', payload: { email: 'bob@example.test' }, remoteAddress: '10.0.0.3' });
    const b = await t.app.inject({ method: 'POST', url: '/status/acme/subscribe', payload: { email: 'new@example.test' }, remoteAddress: '10.0.0.3' });
    expect([a.statusCode, a.body]).toEqual([b.statusCode, b.body]);
    // Addresses never appear on the public surface.
    for (const url of ['/status/acme', '/status/acme/api/v2/summary.json', '/status/acme/history.rss']) {
      const page = (await t.app.inject({ method: 'GET', url })).body;
      expect(page).not.toContain('bob@example.test');
      expect(page).not.toContain(hook.url);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/status-pages/acme/subscribers', headers: bearer(responder.token) })).statusCode).toBe(403);
  });

  it('the public form is rate-limited per client address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i += 1) codes.push((await form('/status/acme/subscribe', `email=r${i}%40example.test`, '10.9.9.9')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 202)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    expect((await form('/status/acme/subscribe', 'email=s%40example.test', '10.9.9.8')).statusCode).toBe(202);
  });

  it('admin removes a subscriber; the public page shows the form and no address', async () => {
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/status-pages/acme/subscribers/bob@example.test', headers: bearer(admin.token) })).statusCode).toBe(204);
    const items = (await t.app.inject({ method: 'GET', url: '/api/v1/status-pages/acme/subscribers', headers: bearer(admin.token) })).json().items;
    expect(items.map((s: { address: string }) => s.address)).not.toContain('bob@example.test');
    const html = (await t.app.inject({ method: 'GET', url: '/status/acme' })).body;
    expect(html).toContain('action="/status/acme/subscribe"');
  });

  it('fans out in batches outside the request, once per subscriber, in the bulk lane below pages', async () => {
    const page = await t.store.db.selectFrom('status_pages').select('id').where('slug', '=', 'other').executeTakeFirstOrThrow();
    const n = FANOUT_BATCH * 2 + 7;
    const now = t.clock.now();
    await insertConfirmedSubscribers(t.store, page.id, n, 'fan', now);
    const other = (await post('/api/v1/incidents', { title: 'x', severity: 'SEV3', service: 'search' })).json().number;
    expect((await post('/api/v1/status-pages/other/incidents', { incident: String(other), name: 'Widget slow', body: 'Looking.', components: ['Widget'] }, responder.token)).statusCode).toBe(201);
    // The request wrote one notification and a timer, not a delivery per subscriber.
    const queued = () => t.store.db.selectFrom('deliveries').select(['id', 'priority', 'status']).where('purpose', '=', 'subscriber').where('action_key', 'like', 'notify:%').where('subscriber_id', 'like', 'sub_fan%').execute();
    expect(await queued()).toHaveLength(0);
    // One expansion batch: a page claims first even with the bulk rows due earlier.
    await t.paging.worker.runTimers();
    const first = await queued();
    expect(first).toHaveLength(FANOUT_BATCH);
    expect(new Set(first.map((d) => d.priority))).toEqual(new Set([3]));
    expect(await claimDeliveries(t.store, { owner: 'probe', now: t.clock.now(), leaseMs: 1000, limit: 10, lane: 'urgent' })).toHaveLength(0);
    const before = smtp.mails.length;
    await drain();
    // At-least-once: a send that timed out on this busy machine is retried later (same id).
    for (let round = 0; round < 10 && (await queued()).some((d) => d.status !== 'sent'); round += 1) {
      t.clock.advance(15 * 60_000);
      await drain();
    }
    const all = await queued();
    expect(all).toHaveLength(n);
    expect(new Set(all.map((d) => d.id)).size).toBe(n);
    expect(all.filter((d) => d.status !== 'sent').map((d) => d.status)).toEqual([]);
    const fanMails = smtp.mails.slice(before).filter((m) => m.to[0]!.startsWith('fan'));
    // Every subscriber got it; a repeat (a retry whose first try did arrive) has the same id.
    expect(new Set(fanMails.map((m) => m.to[0])).size).toBe(n);
    const idsPerRecipient = new Map<string, Set<string>>();
    for (const m of fanMails) (idsPerRecipient.get(m.to[0]!) ?? idsPerRecipient.set(m.to[0]!, new Set()).get(m.to[0]!)!).add(/X-Firebreak-Delivery:\s*(\S+)/i.exec(m.raw)![1]!);
    expect([...idsPerRecipient.values()].filter((ids) => ids.size > 1)).toEqual([]);
    const notif = await t.store.db.selectFrom('subscriber_notifications').selectAll().where('page_id', '=', page.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect([notif.expanded, notif.done_at !== null]).toEqual([n, true]);
  }, 120_000);
});
