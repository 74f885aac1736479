import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/notify/webhook/sign.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver, startSmtpSink } from './receivers.js';

const SECRET_A = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SECRET_B = 'whsec_' + Buffer.from('another-secret-of-24-bytes!!').toString('base64');

describe.each(DIALECTS)('paging end to end on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let admin: { token: string; userId: string };
  let alice: { token: string; userId: string; email: string };
  let bob: { token: string; userId: string; email: string };
  let scheduleId: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    smtp = await startSmtpSink();
    t = await createTestApp(dialect, {
      paging: { config: { outboundAllow: '127.0.0.1/32', smtpUrl: smtp.url }, workerOptions: { sendTimeoutMs: 2_000, random: () => 0.5 } },
    });
    admin = await t.userWithKey('admin');
    alice = await t.userWithKey('responder');
    bob = await t.userWithKey('responder');
    const post = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
    expect((await post('/api/v1/contact-methods', { user: alice.userId, kind: 'webhook', address: `${receiver.url}/alice`, secret: SECRET_A })).statusCode).toBe(201);
    expect((await post('/api/v1/contact-methods', { user: alice.userId, kind: 'email', address: 'alice@example.test' })).statusCode).toBe(201);
    // Bob adds his own contact method with his own key.
    expect((await post('/api/v1/contact-methods', { kind: 'webhook', address: `${receiver.url}/bob`, secret: SECRET_B }, bob.token)).statusCode).toBe(201);
    const schedule = await post('/api/v1/schedules', {
      name: 'Secondary', timeZone: 'Europe/Berlin',
      layers: [{ id: 'base', name: '24x7', rotation: { type: 'weekly', handoffTime: '09:00', startDate: '2026-02-02', members: [bob.userId] } }],
    });
    expect(schedule.statusCode).toBe(201);
    scheduleId = schedule.json().id;
    const policy = await post('/api/v1/escalation-policies', {
      name: 'Primary then secondary',
      levels: [
        { delaySeconds: 0, targets: [{ type: 'user', id: alice.userId }] },
        { delaySeconds: 300, targets: [{ type: 'schedule', id: scheduleId }] },
      ],
      repeat: 0,
      severities: ['SEV1'],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    expect(policy.json().severities).toEqual(['SEV1']);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await smtp?.close();
  });

  const post = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const get = (url: string, token = admin.token) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const forPath = (p: string) => receiver.received.filter((r) => r.path === p);

  it('pages level 1 (signed webhook + real SMTP), then level 2 without an ack, then nothing after the ack', async () => {
    receiver.received.length = 0;
    const inc = (await post('/api/v1/incidents', { title: 'Checkout 5xx', severity: 'SEV1', summary: 'Errors at 40%' })).json();
    // The escalation row and its first timer were written with the incident.
    const timer = await t.store.db.selectFrom('timers').selectAll().where('key', '=', `escalate:${inc.id}`).executeTakeFirstOrThrow();
    expect(timer.run_at).toBe(t.clock.now());

    await t.paging.worker.drain();
    const a = forPath('/alice');
    expect(a).toHaveLength(1);
    const hook = a[0]!;
    const ok = verifyWebhook(SECRET_A, { id: String(hook.headers['webhook-id']), timestamp: String(hook.headers['webhook-timestamp']), signature: String(hook.headers['webhook-signature']) }, hook.body, Math.floor(t.clock.now() / 1000));
    expect(ok).toBe(true);
    const body = JSON.parse(hook.body);
    expect(body.type).toBe('incident.triggered');
    expect(body.data.incident).toMatchObject({ number: inc.number, title: 'Checkout 5xx', severity: 'SEV1' });
    expect(body.data.links.acknowledge).toMatch(/^http:\/\/firebreak\.test\/ack\//);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['alice@example.test']);
    expect(smtp.mails[0]!.raw).toContain(`Subject: [SEV1] #${inc.number} Checkout 5xx`);
    expect(forPath('/bob')).toHaveLength(0);

    t.clock.advance(299_000);
    await t.paging.worker.drain();
    expect(forPath('/bob')).toHaveLength(0);
    t.clock.advance(1_000);
    await t.paging.worker.drain();
    expect(forPath('/bob')).toHaveLength(1);
    expect(forPath('/alice')).toHaveLength(1);

    const ack = await post(`/api/v1/incidents/${inc.number}/status`, { event: 'acknowledge' }, bob.token);
    expect(ack.statusCode).toBe(200);
    expect(await t.store.db.selectFrom('timers').select('id').where('key', '=', `escalate:${inc.id}`).executeTakeFirst()).toBeUndefined();
    t.clock.advance(3_600_000);
    await t.paging.worker.drain();
    expect(receiver.received).toHaveLength(2);

    const deliveries = (await get(`/api/v1/incidents/${inc.number}/deliveries`)).json().items;
    expect(deliveries.map((d: { channel: string; status: string }) => `${d.channel}:${d.status}`).sort()).toEqual(['email:sent', 'webhook:sent', 'webhook:sent']);
    const kinds = (await get(`/api/v1/incidents/${inc.number}/timeline`)).json().items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['escalation_started', 'paged', 'delivery', 'status_changed']));
    expect(kinds.filter((k: string) => k === 'paged')).toHaveLength(2);
    expect(kinds.filter((k: string) => k === 'delivery')).toHaveLength(3);
  });

  it('a drill pages only its chosen participants, marked DRILL, never the rota', async () => {
    receiver.received.length = 0;
    const { declareIncident } = await import('../../src/domain/incidents/index.js');
    const base = t.ctx({ type: 'user', id: admin.userId, name: 'Admin', role: 'admin' });
    // SEV1's policy would page Alice; the drill names Bob only.
    const drill = await declareIncident({ ctx: { ...base, drill: { runbookId: 'rb_test', participants: [bob.userId] } }, input: { title: '[DRILL] Failover', severity: 'SEV1', isDrill: true } });
    await t.paging.worker.drain();
    expect(forPath('/alice')).toHaveLength(0);
    const pages = forPath('/bob');
    expect(pages).toHaveLength(1);
    expect(JSON.parse(pages[0]!.body).data.incident.title).toBe('[DRILL] Failover');
    // No participants: nobody at all, and the timeline says so.
    const quiet = await declareIncident({ ctx: base, input: { title: '[DRILL] Quiet', severity: 'SEV1', isDrill: true } });
    await t.paging.worker.drain();
    expect(receiver.received).toHaveLength(1);
    const kinds = (await get(`/api/v1/incidents/${quiet.id}/timeline`)).json().items.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('escalation_skipped');
    await post(`/api/v1/incidents/${drill.id}/resolve`, {});
  });

  it('acknowledge racing the next step: never both an ack and a later page', async () => {
    receiver.received.length = 0;
    const incidents = [];
    for (let i = 0; i < 8; i++) incidents.push((await post('/api/v1/incidents', { title: `race ${i}`, severity: 'SEV1' })).json());
    await t.paging.worker.drain();
    t.clock.advance(300_000);
    // Each ack and the worker's step for the same instant run concurrently.
    await Promise.all([t.paging.worker.drain(), ...incidents.map((inc) => post(`/api/v1/incidents/${inc.number}/status`, { event: 'acknowledge' }, alice.token))]);
    await t.paging.worker.drain();
    t.clock.advance(3_600_000);
    await t.paging.worker.drain();
    for (const inc of incidents) {
      const esc = await t.store.db.selectFrom('incident_escalations').selectAll().where('incident_id', '=', inc.id).executeTakeFirstOrThrow();
      expect(esc.status).toBe('acknowledged');
      const open = await t.store.db.selectFrom('deliveries').select('id').where('incident_id', '=', inc.id).where('status', 'in', ['pending', 'sending']).execute();
      expect(open).toEqual([]);
      // Level 2 either went out before the ack committed, or never (cancelled or not created).
      const bobs = await t.store.db.selectFrom('deliveries').select(['status']).where('incident_id', '=', inc.id).where('user_id', '=', bob.userId).execute();
      expect(bobs.length).toBeLessThanOrEqual(1);
    }
    expect(await t.store.db.selectFrom('timers').select('id').where('key', 'in', incidents.map((i) => `escalate:${i.id}`)).execute()).toEqual([]);
  });

  it('retries a 500 with the same webhook-id, and honours Retry-After', async () => {
    receiver.received.length = 0;
    let n = 0;
    receiver.setMode((r) => {
      if (r.path !== '/alice') return { status: 200 };
      n += 1;
      if (n === 1) return { status: 500 };
      if (n === 2) return { status: 429, headers: { 'retry-after': '120' } };
      return { status: 200 };
    });
    const inc = (await post('/api/v1/incidents', { title: 'flaky receiver', severity: 'SEV1' })).json();
    await t.paging.worker.drain();
    expect(forPath('/alice')).toHaveLength(1);
    t.clock.advance(5_000); // backoff for attempt 1 with random 0.5 is 3.75 s
    await t.paging.worker.drain();
    expect(forPath('/alice')).toHaveLength(2);
    t.clock.advance(60_000);
    await t.paging.worker.drain();
    expect(forPath('/alice')).toHaveLength(2); // Retry-After: 120 not yet over
    t.clock.advance(61_000);
    await t.paging.worker.drain();
    const calls = forPath('/alice');
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.headers['webhook-id'])).size).toBe(1);
    const d = (await get(`/api/v1/incidents/${inc.number}/deliveries`)).json().items.find((x: { channel: string }) => x.channel === 'webhook');
    expect(d).toMatchObject({ status: 'sent', attempts: 3, lastStatusCode: 200 });
    receiver.setMode(() => ({ status: 200 }));
    await post(`/api/v1/incidents/${inc.number}/status`, { event: 'resolve' });
  });

  it('a hung receiver times out without delaying the others', async () => {
    receiver.received.length = 0;
    receiver.setMode((r) => (r.path === '/alice' ? { status: 200, hang: true } : { status: 200 }));
    // Page alice and bob at once by hand.
    const inc = (await post('/api/v1/incidents', { title: 'hung', severity: 'SEV2' })).json();
    const started = Date.now();
    await post(`/api/v1/incidents/${inc.number}/page`, { user: alice.userId });
    await post(`/api/v1/incidents/${inc.number}/page`, { user: bob.userId });
    await t.paging.worker.drain();
    const elapsed = Date.now() - started;
    const bobCall = forPath('/bob')[0]!;
    expect(bobCall.at - started).toBeLessThan(1_000);
    expect(elapsed).toBeGreaterThanOrEqual(1_900); // the hung one waited for its 2 s timeout
    const rows = await t.store.db.selectFrom('deliveries').selectAll().where('incident_id', '=', inc.id).execute();
    const hung = rows.find((r) => r.channel === 'webhook' && r.user_id === alice.userId)!;
    expect(hung.status).toBe('pending');
    expect(hung.last_error).toMatch(/timed out/);
    receiver.setMode(() => ({ status: 200 }));
    await post(`/api/v1/incidents/${inc.number}/status`, { event: 'resolve' });
  });

  it('one-click link: GET only confirms, POST acknowledges, tampering is refused', async () => {
    receiver.received.length = 0;
    const inc = (await post('/api/v1/incidents', { title: 'link', severity: 'SEV1' })).json();
    await t.paging.worker.drain();
    const link = JSON.parse(forPath('/alice')[0]!.body).data.links.acknowledge as string;
    const path = new URL(link).pathname;
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post">');
    // Styled for a phone, and a way on to the incident itself.
    expect(page.body).toContain('name="viewport"');
    expect(page.body).toContain(`<a class="open" href="http://firebreak.test/incidents/${inc.number}">`);
    expect((await get(`/api/v1/incidents/${inc.number}`)).json().status).toBe('triggered');
    const tampered = path.slice(0, -2) + (path.endsWith('A') ? 'BB' : 'AA');
    expect((await t.app.inject({ method: 'POST', url: tampered })).statusCode).toBe(400);
    const act = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: '' });
    expect(act.statusCode).toBe(200);
    expect(act.body).toContain(`href="http://firebreak.test/incidents/${inc.number}"`);
    const after = (await get(`/api/v1/incidents/${inc.number}`)).json();
    expect(after.status).toBe('acknowledged');
    const timeline = (await get(`/api/v1/incidents/${inc.number}/timeline`)).json().items;
    const ackEvent = timeline.find((e: { kind: string; data: { event?: string } }) => e.kind === 'status_changed' && e.data.event === 'acknowledge');
    expect(ackEvent.actor.id).toBe(alice.userId);
    // A second click is a friendly no-op.
    expect((await t.app.inject({ method: 'POST', url: path })).statusCode).toBe(409);
    t.clock.advance(8 * 86_400_000);
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(400);
  });

  it('answers who is on call and why, serves the .ics feed, and test-sends', async () => {
    const oncall = (await get(`/api/v1/schedules/${scheduleId}/oncall?at=2026-03-03T12:00:00Z`)).json();
    expect(oncall.schedules[0].users.map((u: { id: string }) => u.id)).toEqual([bob.userId]);
    expect(oncall.schedules[0].explanation[0].layerId).toBe('base');
    const feed = (await get(`/api/v1/schedules/${scheduleId}/feed`)).json().url as string;
    const ics = await t.app.inject({ method: 'GET', url: new URL(feed).pathname + new URL(feed).search });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toMatch(/text\/calendar/);
    expect(ics.body).toContain('BEGIN:VCALENDAR');
    expect((await t.app.inject({ method: 'GET', url: `/ical/schedules/${scheduleId}.ics?token=nope` })).statusCode).toBe(404);

    receiver.received.length = 0;
    const cms = (await get('/api/v1/contact-methods', bob.token)).json().items;
    const test = await post(`/api/v1/contact-methods/${cms[0].id}/test`, {}, bob.token);
    expect(test.statusCode).toBe(202);
    await t.paging.worker.drain();
    expect(JSON.parse(forPath('/bob')[0]!.body).type).toBe('firebreak.test');
    expect((await get(`/api/v1/deliveries/${test.json().deliveryId}`, bob.token)).json().status).toBe('sent');
  });

  it('refuses private destinations at save time and names the setting', async () => {
    const res = await post('/api/v1/contact-methods', { user: alice.userId, kind: 'webhook', address: 'http://169.254.169.254/latest/meta-data' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('FIREBREAK_OUTBOUND_ALLOW');
    const other = await post('/api/v1/contact-methods', { user: alice.userId, kind: 'webhook', address: 'http://example.test' }, bob.token);
    expect(other.statusCode).toBe(403);
  });

  it('the auditor flags a frozen escalation and one with no timer', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'frozen', severity: 'SEV1' })).json();
    expect((await t.paging.auditor.check()).overdueTimers).toBe(0);
    // Frozen: claimed by an instance that never finishes, due two minutes ago.
    await t.store.db.updateTable('timers').set({ run_at: t.clock.now() - 120_000, locked_by: 'ghost', locked_until: t.clock.now() + 3_600_000 }).where('key', '=', `escalate:${inc.id}`).execute();
    let report = await t.paging.auditor.check();
    expect(report.overdueTimers).toBe(1);
    expect(report.sample).toContain(`escalate:${inc.id}`);
    expect(t.paging.auditor.health().ok).toBe(false);
    // Missing: the timer is gone while the incident is still being paged.
    await t.store.db.deleteFrom('timers').where('key', '=', `escalate:${inc.id}`).execute();
    t.clock.advance(120_000);
    report = await t.paging.auditor.check();
    expect(report.missingTimers).toBe(1);
    expect(t.paging.auditor.health().detail).toContain('without a timer');
    await post(`/api/v1/incidents/${inc.number}/status`, { event: 'resolve' });
    expect((await t.paging.auditor.check()).missingTimers).toBe(0);
    expect(t.paging.auditor.health().ok).toBe(true);
  });
});
