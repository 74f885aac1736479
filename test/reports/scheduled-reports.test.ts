import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/config-file.js';
import { applyConfig } from '../../src/domain/config/apply-config.js';
import { sendDueReports, type SendReportMail } from '../../src/domain/report-schedules/index.js';
import { closeSmtpTransports, sendReportEmail } from '../../src/notify/email/send.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startSmtpSink } from '../paging/receivers.js';

/**
 * Issue 13, scheduled reports: a weekly schedule e-mails each ended week once, through a real
 * SMTP server, with the clock passed in; a second pass, or a "restarted" scheduler (a fresh call
 * on the same database), sends nothing more; the next week sends exactly one more.
 */
const T = Date.parse('2026-03-04T10:00:00Z'); // a Wednesday
const DAY = 86_400_000;

describe.each(DIALECTS)('scheduled reports on %s', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let admin: string;
  let send: SendReportMail;
  const put = (name: string, body: unknown) => t.app.inject({ method: 'PUT', url: `/api/v1/report-schedules/${name}`, payload: body as object, headers: { 'content-type': 'application/json', ...bearer(admin) } });
  const pass = () => sendDueReports(t.ctx(), { send, publicUrl: 'http://firebreak.test' });

  beforeAll(async () => {
    smtp = await startSmtpSink();
    send = (mail) => sendReportEmail(mail, { url: smtp.url, from: 'Firebreak <firebreak@example.test>', timeoutMs: 5000 });
    t = await createTestApp(dialect, { start: new Date(T).toISOString() });
    admin = (await t.userWithKey('admin')).token;
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/services', payload: { slug: 'api', name: 'API' }, headers: bearer(admin) })).statusCode).toBe(201);
    // One SEV1 in the first week, acknowledged after 4 minutes, resolved after 30.
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: 'Checkout down', severity: 'SEV1', service: 'api' }, headers: bearer(admin) });
    expect(created.statusCode, created.body).toBe(201);
    const n = created.json().number as number;
    t.clock.set(T + 4 * 60_000);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${n}/acknowledge`, payload: {}, headers: bearer(admin) })).statusCode).toBe(200);
    t.clock.set(T + 30 * 60_000);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${n}/resolve`, payload: {}, headers: bearer(admin) })).statusCode).toBe(200);
  });
  afterAll(async () => {
    closeSmtpTransports();
    await t?.close();
    await smtp?.close();
  });

  it('refuses bad input naming the field', async () => {
    const noRecipients = await put('weekly', { every: 'week', recipients: [] });
    expect(noRecipients.statusCode).toBe(400);
    expect(noRecipients.body).toContain('recipients');
    const badAddress = await put('weekly', { every: 'week', recipients: ['not-an-address'] });
    expect(badAddress.statusCode).toBe(400);
    expect(badAddress.body).toContain('recipients');
    const badEvery = await put('weekly', { every: 'daily', recipients: ['a@example.test'] });
    expect(badEvery.statusCode).toBe(400);
    expect(badEvery.body).toContain('every');
    const unknownService = await put('weekly', { every: 'week', service: 'nope', recipients: ['a@example.test'] });
    expect(unknownService.statusCode).toBe(400);
    expect(unknownService.body).toContain('service');
  });

  it('sends each ended week once, with headline figures and the CSV, and never twice across passes or a restart', async () => {
    t.clock.set(T + 3600_000);
    const res = await put('weekly-ops', { every: 'week', service: 'api', recipients: ['ops@example.test', 'lead@example.test'] });
    expect(res.statusCode, res.body).toBe(200);

    // Still inside the week the schedule was made in: nothing owed yet.
    expect(await pass()).toEqual({ queued: 0, sent: 0, failed: 0 });
    expect(smtp.mails).toHaveLength(0);

    // Monday 2026-03-09 00:00 UTC ends the week of 2026-03-02.
    t.clock.set(Date.parse('2026-03-09T00:05:00Z'));
    expect(await pass()).toEqual({ queued: 1, sent: 1, failed: 0 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to.sort()).toEqual(['lead@example.test', 'ops@example.test']);
    const raw = mail.raw.replace(/=\r?\n/g, '');
    expect(raw).toContain('Subject: Firebreak report weekly-ops: 2026-03-02 to 2026-03-09, 1 incident');
    expect(raw).toMatch(/Content-Type: text\/plain/);
    expect(raw).toMatch(/Content-Type: text\/html/);
    expect(raw).toMatch(/Content-Type: text\/csv; name=firebreak-weekly-ops-2026-03-02\.csv/);
    expect(raw).toContain('Time to acknowledge, median / p90: 4m / 4m');
    expect(raw).toContain('Time to resolve, median / p90: 30m / 30m');
    expect(raw).toContain('Post-mortems: not available');
    const csv = Buffer.from(raw.split('filename=firebreak-weekly-ops-2026-03-02.csv')[1]!.split(/\r?\n\r?\n/)[1]!.split('--')[0]!.replace(/\s/g, ''), 'base64').toString();
    expect(csv.split('\n')[0]).toMatch(/^scope,key,incidents,open,unacknowledged,ttd_count/);
    expect(csv).toContain('\nall,,1,0,0,');

    // The same moment again, and a "restarted" scheduler (a new pass with a new ctx): nothing more.
    expect(await pass()).toEqual({ queued: 0, sent: 0, failed: 0 });
    expect(await sendDueReports(t.ctx({ type: 'system', name: 'another process' }), { send, publicUrl: 'http://firebreak.test' })).toEqual({ queued: 0, sent: 0, failed: 0 });
    expect(smtp.mails).toHaveLength(1);

    // A week later: exactly one more, for the week of 2026-03-09 (no incidents: an empty report, not an error).
    t.clock.set(Date.parse('2026-03-16T08:00:00Z'));
    expect(await pass()).toEqual({ queued: 1, sent: 1, failed: 0 });
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1]!.raw).toContain('Subject: Firebreak report weekly-ops: 2026-03-09 to 2026-03-16, 0 incidents');
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/report-schedules/weekly-ops', headers: bearer(admin) });
    expect(listed.json().lastSent).toMatchObject({ periodStart: '2026-03-09T00:00:00.000Z', periodEnd: '2026-03-16T00:00:00.000Z' });
  });

  it('keeps a period whose send failed, and sends it once the SMTP server answers again', async () => {
    t.clock.set(Date.parse('2026-03-16T09:00:00Z'));
    expect((await put('down', { every: 'week', recipients: ['x@example.test'] })).statusCode).toBe(200);
    t.clock.set(Date.parse('2026-03-23T00:01:00Z'));
    const before = smtp.mails.length;
    const refused: SendReportMail = async () => ({ ok: false, retryable: true, error: 'connection refused' });
    // weekly-ops's week of 03-16 goes nowhere either: both stay pending.
    expect(await sendDueReports(t.ctx(), { send: refused, publicUrl: 'http://firebreak.test' })).toEqual({ queued: 2, sent: 0, failed: 0 });
    expect(smtp.mails.length).toBe(before);
    // Before the back-off (1 min) passes: not retried.
    t.clock.set(Date.parse('2026-03-23T00:01:30Z'));
    expect(await pass()).toEqual({ queued: 0, sent: 0, failed: 0 });
    t.clock.set(Date.parse('2026-03-23T00:03:00Z'));
    expect(await pass()).toEqual({ queued: 0, sent: 2, failed: 0 });
    expect(smtp.mails.length).toBe(before + 2);
  });

  it('takes schedules from firebreak.yaml, and removes them when the file drops them', async () => {
    const file = (reports: string) => parseConfigText(`version: 1\nservices:\n  - slug: api\n    name: API\n${reports}`, 'firebreak.yaml');
    const loaded = file('reports:\n  - name: monthly-exec\n    every: month\n    severity: [SEV1]\n    recipients: [exec@example.test]\n');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const applied = await applyConfig({ ctx: t.ctx(), input: { config: loaded.loaded.config, file: 'firebreak.yaml' } });
    expect(applied.changes).toContain('report schedule monthly-exec: created');
    const refused = await put('monthly-exec', { every: 'week', recipients: ['a@example.test'] });
    expect(refused.statusCode).toBe(409);
    const bad = file('reports:\n  - name: x\n    every: month\n    recipients: []\n');
    expect(bad.ok).toBe(false);
    const dropped = file('');
    if (!dropped.ok) throw new Error('parse');
    const again = await applyConfig({ ctx: t.ctx(), input: { config: dropped.loaded.config, file: 'firebreak.yaml' } });
    expect(again.changes).toContain('report schedule monthly-exec: removed');
  });
});
