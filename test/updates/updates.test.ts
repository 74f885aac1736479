import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPagingRuntime } from '../../src/app/paging.js';
import { silentLogger } from '../../src/core/logger.js';
import { MetricsRegistry } from '../../src/observability/metrics.js';
import { claimDeliveries } from '../../src/worker/delivery-queue.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from '../paging/receivers.js';

const MIN = 60_000;

describe.each(DIALECTS)('stakeholder updates on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: { token: string; userId: string };
  let alice: { token: string; userId: string; email: string };
  let bob: { token: string; userId: string; email: string };

  const post = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const put = (url: string, body: unknown, token = admin.token) => t.app.inject({ method: 'PUT', url, payload: body as object, headers: bearer(token) });
  const get = (url: string, token = admin.token) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const timeline = async (n: number) => (await get(`/api/v1/incidents/${n}/timeline`)).json().items as { kind: string; body: string; data: Record<string, unknown> }[];
  /** Reminders received for one incident (earlier tests leave other incidents with deadlines). */
  const reminders = (path: string, number?: number) =>
    receiver.received.filter((r) => r.path === path && JSON.parse(r.body).type === 'incident.update_due' && (number === undefined || JSON.parse(r.body).data.incident.number === number));

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32' }, workerOptions: { sendTimeoutMs: 2_000, random: () => 0.5 } } });
    admin = await t.userWithKey('admin');
    alice = await t.userWithKey('responder');
    bob = await t.userWithKey('responder');
    expect((await post('/api/v1/contact-methods', { user: alice.userId, kind: 'webhook', address: `${receiver.url}/alice` })).statusCode).toBe(201);
    expect((await post('/api/v1/contact-methods', { user: bob.userId, kind: 'webhook', address: `${receiver.url}/bob` })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  async function incidentWithRoles(title: string): Promise<{ id: string; number: number }> {
    const inc = (await post('/api/v1/incidents', { title, severity: 'SEV1', summary: 'Card payments fail for 30% of users' })).json();
    expect((await put(`/api/v1/incidents/${inc.number}/roles/communications`, { user: alice.userId })).statusCode).toBe(200);
    expect((await put(`/api/v1/incidents/${inc.number}/roles/commander`, { user: bob.userId })).statusCode).toBe(200);
    return inc;
  }

  it('posts an update as a timeline event, with "next update by" defaulting to the severity cadence', async () => {
    const inc = await incidentWithRoles('Checkout errors');
    const res = await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'initial', body: 'We are investigating.', audiences: ['internal', 'public'] }, alice.token);
    expect(res.statusCode, res.body).toBe(201);
    const update = res.json();
    // SEV1's default cadence is 30 minutes.
    expect(update.nextUpdateBy).toBe(new Date(t.clock.now() + 30 * MIN).toISOString());
    expect(update.audiences).toEqual(['internal', 'public']);
    expect(update.author.id).not.toBeNull();
    const list = (await get(`/api/v1/incidents/${inc.number}/updates`)).json();
    expect(list.items.map((u: { body: string }) => u.body)).toEqual(['We are investigating.']);
    expect(list.nextUpdateBy).toBe(update.nextUpdateBy);
    expect(list.cadenceSeconds).toBe(1800);
    const posted = (await timeline(inc.number)).filter((e) => e.kind === 'update_posted');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.data.updateId).toBe(update.id);
    const timer = await t.store.db.selectFrom('timers').selectAll().where('key', '=', `update_due:${inc.id}`).executeTakeFirstOrThrow();
    expect(timer.run_at).toBe(t.clock.now() + 30 * MIN);

    // The author can set it, or clear it; a resolution promises none.
    const later = new Date(t.clock.now() + 5 * MIN).toISOString();
    expect((await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'update', body: 'Rolling back.', nextUpdateBy: later })).json().nextUpdateBy).toBe(later);
    expect((await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'update', body: 'Stable.', nextUpdateBy: null })).json().nextUpdateBy).toBeNull();
    expect(await t.store.db.selectFrom('timers').select('id').where('key', '=', `update_due:${inc.id}`).executeTakeFirst()).toBeUndefined();
    const bad = await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'resolution', body: 'Fixed.', nextUpdateBy: later });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].field).toBe('nextUpdateBy');
    const noBody = await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'update', body: ' ' });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json().issues[0].field).toBe('body');
  });

  it('checks templates at save time and at preview: a 400 naming the field, line and column', async () => {
    const unknown = await put('/api/v1/update-templates/update', { body: 'Status: {{ incident.status }}\nOwner: {{ incident.owner }}' });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json().issues).toEqual([{ field: 'body', message: 'template error at line 2, column 11: undefined variable: incident.owner' }]);
    const syntax = await put('/api/v1/update-templates/update', { body: 'ok\n{% if incident.status %}open' });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json().issues[0].message).toMatch(/^template error at line 2, column 1: .*not closed/);
    expect((await put('/api/v1/update-templates/update', { body: '{{ incident.title | nofilter }}' })).json().issues[0].field).toBe('body');
    expect((await put('/api/v1/update-templates/update', { body: 'x' }, alice.token)).statusCode).toBe(403);

    const inc = await incidentWithRoles('Search slow');
    const preview = await post(`/api/v1/incidents/${inc.number}/updates/preview`, { kind: 'update', template: '{{ incident.title }} {{ nope }}' });
    expect(preview.statusCode).toBe(400);
    expect(preview.json().issues).toEqual([{ field: 'template', message: 'template error at line 1, column 25: undefined variable: nope' }]);

    const saved = await put('/api/v1/update-templates/update?audience=public', { body: '{{ incident.title }} ({{ incident.severity }}), led by {{ incident.commander }}. Next by {{ nextUpdateBy }}. {{ incident.link }}' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ kind: 'update', audience: 'public', source: 'api' });
    const rendered = (await post(`/api/v1/incidents/${inc.number}/updates/preview`, { kind: 'update', audience: 'public' })).json();
    const due = new Date(t.clock.now() + 30 * MIN).toISOString();
    const bobName = (await t.store.db.selectFrom('users').select('name').where('id', '=', bob.userId).executeTakeFirstOrThrow()).name;
    expect(rendered.body).toBe(`Search slow (SEV1), led by ${bobName}. Next by ${due.slice(0, 16).replace('T', ' ')} UTC. http://firebreak.test/incidents/${inc.number}`);
    expect(rendered.nextUpdateBy).toBe(due);
    // Other audiences fall back to the built-in default, which renders for a real incident.
    const builtIn = (await post(`/api/v1/incidents/${inc.number}/updates/preview`, { kind: 'initial', audience: 'internal' })).json();
    expect(builtIn.template.source).toBe('built-in');
    expect(builtIn.body).toContain('Card payments fail for 30% of users');
    expect(builtIn.body).toContain(`http://firebreak.test/incidents/${inc.number}`);
    const list = (await get('/api/v1/update-templates')).json().items as { kind: string; audience: string | null; source: string }[];
    expect(list.map((x) => `${x.kind}/${x.audience}/${x.source}`)).toEqual(['initial/null/built-in', 'update/null/built-in', 'update/public/api', 'resolution/null/built-in']);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/update-templates/update?audience=public', headers: bearer(admin.token) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/update-templates/update?audience=public', headers: bearer(admin.token) })).statusCode).toBe(404);
  });

  it('reminds the communications lead exactly once when the deadline passes, then the commander after the grace period', async () => {
    const inc = await incidentWithRoles('Login failures');
    expect((await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'initial', body: 'Investigating.' })).statusCode).toBe(201);
    receiver.received.length = 0;
    t.clock.advance(30 * MIN - 1);
    await t.paging.worker.drain();
    expect(reminders('/alice')).toHaveLength(0);
    t.clock.advance(1);
    await t.paging.worker.drain();
    await t.paging.worker.drain();
    expect(reminders('/alice')).toHaveLength(1);
    expect(reminders('/bob')).toHaveLength(0);
    expect(JSON.parse(reminders('/alice')[0]!.body).data.incident.number).toBe(inc.number);
    const missed = (await timeline(inc.number)).filter((e) => e.kind === 'update_deadline_missed');
    expect(missed).toHaveLength(1);
    expect(missed[0]!.data).toMatchObject({ remindedUserId: alice.userId, role: 'communications', deliveries: 1 });
    const rows = await t.store.db.selectFrom('deliveries').selectAll().where('incident_id', '=', inc.id).where('purpose', '=', 'update_reminder').execute();
    expect(rows.map((r) => [r.status, r.priority])).toEqual([['sent', 1]]);

    t.clock.advance(10 * MIN - 1);
    await t.paging.worker.drain();
    expect(reminders('/bob')).toHaveLength(0);
    t.clock.advance(1);
    await t.paging.worker.drain();
    expect(reminders('/bob')).toHaveLength(1);
    expect((await timeline(inc.number)).filter((e) => e.kind === 'update_reminder_escalated')).toHaveLength(1);
    // Then the timer is done: nothing more, however long nobody posts.
    t.clock.advance(6 * 60 * MIN);
    await t.paging.worker.drain();
    expect(reminders('/alice')).toHaveLength(1);
    expect(reminders('/bob')).toHaveLength(1);
    expect(await t.store.db.selectFrom('timers').select('id').where('key', '=', `update_due:${inc.id}`).executeTakeFirst()).toBeUndefined();
    // A late update is recorded as such.
    await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'update', body: 'Sorry, found it.' });
    expect((await timeline(inc.number)).filter((e) => e.kind === 'update_posted_late')).toHaveLength(1);
  });

  it('without communications lead or commander, reminds whoever was paged last; with nobody after them, says so', async () => {
    const inc = (await post('/api/v1/incidents', { title: 'Disk full', severity: 'SEV1' })).json();
    expect((await post(`/api/v1/incidents/${inc.number}/page`, { user: bob.userId })).statusCode).toBeLessThan(300);
    await t.paging.worker.drain();
    await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'initial', body: 'Investigating.' });
    t.clock.advance(30 * MIN);
    await t.paging.worker.drain();
    expect(reminders('/bob', inc.number)).toHaveLength(1);
    expect(reminders('/alice', inc.number)).toHaveLength(0);
    t.clock.advance(10 * MIN);
    await t.paging.worker.drain();
    const events = await timeline(inc.number);
    expect(events.find((e) => e.kind === 'update_deadline_missed')!.data).toMatchObject({ remindedUserId: bob.userId, role: 'last paged' });
    const escalated = events.find((e) => e.kind === 'update_reminder_escalated')!;
    expect(escalated.data).toMatchObject({ remindedUserId: null, deliveries: 0 });
    expect(escalated.body).toContain('nobody to remind');
    expect(reminders('/bob', inc.number)).toHaveLength(1);
  });

  it('keeps the reminder across a restart: a worker in another process on the same database sends it', async () => {
    const inc = await incidentWithRoles('Restart');
    await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'initial', body: 'Investigating.' });
    // A claimed-then-abandoned timer (the first process died mid-run) is taken over after its lease.
    await t.store.db.updateTable('timers').set({ locked_by: 'dead-instance', locked_until: t.clock.now() + 31 * MIN }).where('key', '=', `update_due:${inc.id}`).execute();
    const fresh = await createPagingRuntime({
      store: t.store, clock: t.clock, log: silentLogger, metrics: new MetricsRegistry(),
      config: { publicUrl: 'http://firebreak.test', outboundAllow: '127.0.0.1/32', smtpFrom: 'Firebreak <firebreak@example.test>', auditorOverdueSeconds: 60, worker: false },
      workerOptions: { sendTimeoutMs: 2_000, random: () => 0.5 },
    });
    try {
      t.clock.advance(30 * MIN);
      await fresh.worker.drain();
      expect(reminders('/alice', inc.number)).toHaveLength(0); // still leased by the dead instance
      t.clock.advance(MIN + 1);
      await fresh.worker.drain();
      expect(reminders('/alice', inc.number)).toHaveLength(1);
    } finally {
      await fresh.stop();
    }
  });

  it('reminds nobody when the update comes in time, records the kept deadline, and stops at resolution', async () => {
    const inc = await incidentWithRoles('Queue backlog');
    await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'initial', body: 'Investigating.' });
    receiver.received.length = 0;
    t.clock.advance(20 * MIN);
    await t.paging.worker.drain();
    expect((await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'update', body: 'Draining the queue.' })).statusCode).toBe(201);
    t.clock.advance(15 * MIN); // past the first deadline, before the second
    await t.paging.worker.drain();
    expect(reminders('/alice', inc.number)).toHaveLength(0);
    const events = await timeline(inc.number);
    expect(events.filter((e) => e.kind === 'update_deadline_kept')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'update_deadline_missed')).toHaveLength(0);

    expect((await post(`/api/v1/incidents/${inc.number}/status`, { status: 'resolved' })).statusCode).toBe(200);
    expect(await t.store.db.selectFrom('timers').select('id').where('key', '=', `update_due:${inc.id}`).executeTakeFirst()).toBeUndefined();
    t.clock.advance(60 * MIN);
    await t.paging.worker.drain();
    expect(reminders('/alice', inc.number)).toHaveLength(0);
    expect((await get(`/api/v1/incidents/${inc.number}/updates`)).json().nextUpdateBy).toBeNull();
    // A follow-up on a resolved incident promises nothing, and cannot be made to.
    expect((await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'update', body: 'Post-incident review on Monday.' })).json().nextUpdateBy).toBeNull();
    const promised = await post(`/api/v1/incidents/${inc.number}/updates`, { kind: 'update', body: 'x', nextUpdateBy: new Date(t.clock.now() + MIN).toISOString() });
    expect(promised.statusCode).toBe(400);
    expect(promised.json().issues[0].field).toBe('nextUpdateBy');
  });

  it('claims pages before reminders that were due earlier (the lower lane)', async () => {
    const inc = await incidentWithRoles('Lanes');
    const cm = await t.store.db.selectFrom('contact_methods').select(['id', 'kind']).where('user_id', '=', alice.userId).executeTakeFirstOrThrow();
    const now = t.clock.now();
    const row = (id: string, purpose: string, priority: number | undefined, dueAt: number) => ({
      id, incident_id: inc.id, action_key: id, user_id: alice.userId, contact_method_id: cm.id, channel: cm.kind, purpose, status: 'pending', attempts: 0,
      due_at: dueAt, next_attempt_at: dueAt, locked_by: null, locked_until: null, last_error: null, last_status_code: null, latency_ms: null, created_at: now, sent_at: null,
      ...(priority === undefined ? {} : { priority }),
    });
    // Only these two rows may be claimable: earlier tests leave pages (priority 0) queued too,
    // which would rightly be claimed first. Park them (this is the file's last test).
    await t.store.db.updateTable('deliveries').set({ next_attempt_at: now + 86_400_000 }).where('status', 'in', ['pending', 'sending']).execute();
    await t.store.db.updateTable('deliveries').set({ locked_until: now + 86_400_000 }).where('status', '=', 'sending').execute();
    // The page row leaves priority to the column default, as the hot insert paths do.
    await t.store.db.insertInto('deliveries').values(row('dlv_reminder', 'update_reminder', 1, now - 60_000)).execute();
    await t.store.db.insertInto('deliveries').values(row('dlv_page', 'page', undefined, now)).execute();
    const first = await claimDeliveries(t.store, { owner: 'test', now, leaseMs: 60_000, limit: 1 });
    expect(first.map((r) => r.id)).toEqual(['dlv_page']);
    const second = await claimDeliveries(t.store, { owner: 'test', now, leaseMs: 60_000, limit: 1 });
    expect(second.map((r) => r.id)).toEqual(['dlv_reminder']);
    await t.store.db.deleteFrom('deliveries').where('id', 'in', ['dlv_page', 'dlv_reminder']).execute();
  });
});
