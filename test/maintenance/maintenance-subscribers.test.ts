import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver, startSmtpSink } from '../paging/receivers.js';

/**
 * Issue 12: a page's subscribers are told when a maintenance is scheduled, a set time before it
 * starts, when it starts and when it completes: by e-mail (a real SMTP server) and by signed
 * webhook in Statuspage's incident shape with `impact: maintenance` and the scheduled window.
 */
const START = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(START + minutes * MIN).toISOString();

describe.each(DIALECTS)('maintenance announcements reach subscribers (%s)', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let admin: string;
  const post = (url: string, body: unknown) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(admin) });
  const subjects = () => smtp.mails.map((m) => /Subject: ([^\r\n]*)/.exec(m.raw)?.[1] ?? '');
  const hooks = () => hook.received.map((r) => JSON.parse(r.body) as { incident?: { name: string; status: string; impact: string; scheduled_for: string; scheduled_until: string } });

  beforeAll(async () => {
    smtp = await startSmtpSink();
    hook = await startReceiver();
    t = await createTestApp(dialect, { start: new Date(START).toISOString(), paging: { config: { outboundAllow: '127.0.0.1/32', smtpUrl: smtp.url }, workerOptions: { sendTimeoutMs: 10_000 } } });
    admin = (await t.userWithKey('admin')).token;
    expect((await post('/api/v1/status-pages', { slug: 'acme', name: 'Acme' })).statusCode).toBe(201);
    expect((await post('/api/v1/status-pages/acme/components', { name: 'Database' })).statusCode).toBe(201);
    const mail = await post('/api/v1/status-pages/acme/subscribers', { kind: 'email', address: 'ops@example.test', confirmed: true });
    expect(mail.statusCode, mail.body).toBe(201);
    const webhook = await post('/api/v1/status-pages/acme/subscribers', { kind: 'webhook', address: `${hook.url}/maint` });
    expect(webhook.statusCode, webhook.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await hook?.close();
  });

  it('scheduled, reminded, started and completed: each told once', async () => {
    const created = await post('/api/v1/status-pages/acme/maintenances', {
      name: 'DB upgrade', description: 'We upgrade **PostgreSQL**.', scheduledFor: at(120), scheduledUntil: at(180), components: ['Database'], remindMinutes: 60,
    });
    expect(created.statusCode, created.body).toBe(201);
    await t.paging.worker.drain();
    expect(subjects()).toEqual(['[Acme] Scheduled maintenance: DB upgrade']);
    const first = hooks()[0]!.incident!;
    expect(first).toMatchObject({ name: 'DB upgrade', status: 'scheduled', impact: 'maintenance', scheduled_for: at(120), scheduled_until: at(180) });

    t.clock.advance(61 * MIN);
    await t.paging.worker.drain();
    expect(subjects().at(-1)).toBe('[Acme] Maintenance starting soon: DB upgrade');
    t.clock.advance(60 * MIN);
    await t.paging.worker.drain();
    expect(subjects().at(-1)).toBe('[Acme] Maintenance in progress: DB upgrade');
    expect(hooks().at(-1)!.incident!.status).toBe('in_progress');
    t.clock.advance(61 * MIN);
    await t.paging.worker.drain();
    await t.paging.worker.drain();
    expect(subjects()).toEqual([
      '[Acme] Scheduled maintenance: DB upgrade', '[Acme] Maintenance starting soon: DB upgrade', '[Acme] Maintenance in progress: DB upgrade', '[Acme] Maintenance completed: DB upgrade',
    ]);
    expect(hooks().map((h) => h.incident!.status)).toEqual(['scheduled', 'scheduled', 'in_progress', 'completed']);
    // A mail says what and when, without Markdown marks.
    expect(smtp.mails[0]!.raw.replace(/=\r?\n/g, '')).toContain('We upgrade PostgreSQL.');
  });
});
