import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/notify/webhook/sign.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver, startSmtpSink } from '../paging/receivers.js';

const MIN = 60_000;

describe.each(DIALECTS)('update audiences on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let admin: { token: string; userId: string };
  let alice: { token: string; userId: string; email: string };
  let bob: { token: string; userId: string; email: string };
  let carol: { token: string; userId: string; email: string };
  let webhookSecret: string;

  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, token = admin.token) =>
    t.app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }), headers: bearer(token) });
  const get = (url: string, token = admin.token) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const at = (path: string) => receiver.received.filter((r) => r.path === path);
  const posted = (path: string) => at(path).map((r) => JSON.parse(r.body) as { type: string; data: { update?: { body: string; audience: string } } });

  beforeAll(async () => {
    receiver = await startReceiver();
    smtp = await startSmtpSink();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32', smtpUrl: smtp.url }, workerOptions: { sendTimeoutMs: 2_000, random: () => 0.5 } } });
    admin = await t.userWithKey('admin');
    alice = await t.userWithKey('responder');
    bob = await t.userWithKey('responder');
    carol = await t.userWithKey('responder');
    for (const [u, path] of [[alice, 'alice'], [bob, 'bob'], [carol, 'carol']] as const) {
      expect((await send('POST', '/api/v1/contact-methods', { user: u.userId, kind: 'webhook', address: `${receiver.url}/${path}` })).statusCode).toBe(201);
    }
    expect((await send('POST', '/api/v1/services', { slug: 'payments', name: 'Payments' })).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/services', { slug: 'search', name: 'Search' })).statusCode).toBe(201);
    expect((await send('POST', '/api/v1/teams', { slug: 'finance', name: 'Finance' })).statusCode).toBe(201);
    expect((await send('PUT', `/api/v1/teams/finance/members/${carol.userId}`, {})).statusCode).toBeLessThan(300);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await smtp?.close();
  });

  it('refuses bad destinations at save with a 400 naming the field', async () => {
    const base = { name: 'Executives' };
    const cases: [Record<string, unknown>, string][] = [
      [{ emails: ['ceo@example.test', 'not-an-address'] }, 'emails.1'],
      [{ slackWebhookUrl: 'http://169.254.169.254/latest/meta-data' }, 'slackWebhookUrl'],
      [{ webhookUrl: 'ftp://example.test/hook' }, 'webhookUrl'],
      [{ webhookUrl: 'http://10.1.2.3/hook' }, 'webhookUrl'],
      [{ users: ['nobody@example.test'] }, 'users.0'],
      [{ teams: ['no-such-team'] }, 'teams.0'],
    ];
    for (const [body, field] of cases) {
      const res = await send('PUT', '/api/v1/audience-groups/executives', { ...base, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().issues[0].field).toBe(field);
    }
    expect((await get('/api/v1/audience-groups')).json().items).toEqual([]);
    // Responders cannot manage groups.
    expect((await send('PUT', '/api/v1/audience-groups/executives', base, alice.token)).statusCode).toBe(403);
  });

  it('sends an internal update to every matching group and a responder update to the incident\'s people, in the background', async () => {
    const created = await send('PUT', '/api/v1/audience-groups/executives', {
      name: 'Executives', emails: ['ceo@example.test', 'CFO@example.test'], slackWebhookUrl: `${receiver.url}/slack`, webhookUrl: `${receiver.url}/hook`,
      users: [bob.email], teams: ['finance'],
    });
    expect(created.statusCode, created.body).toBe(200);
    webhookSecret = created.json().webhookSecret;
    expect(webhookSecret).toMatch(/^whsec_/);
    expect(created.json()).toMatchObject({ slug: 'executives', emails: ['ceo@example.test', 'cfo@example.test'], hasWebhookSecret: true, users: [{ id: bob.userId }], teams: [{ slug: 'finance' }] });
    expect((await send('PUT', '/api/v1/audience-groups/support', { name: 'Support', emails: ['support@example.test'] })).statusCode).toBe(200);
    const rule = await send('POST', '/api/v1/audience-rules', { group: 'executives', severities: ['sev1'], services: ['payments'] });
    expect(rule.statusCode, rule.body).toBe(201);
    expect(rule.json()).toMatchObject({ group: { slug: 'executives' }, severities: ['SEV1'], services: ['payments'] });
    expect((await send('POST', '/api/v1/audience-rules', { group: 'support', severities: ['SEV2'] })).statusCode).toBe(201);
    const badRule = await send('POST', '/api/v1/audience-rules', { group: 'executives', severities: ['SEV9'] });
    expect(badRule.statusCode).toBe(400);
    expect(badRule.json().issues[0].field).toBe('severities.0');

    const inc = (await send('POST', '/api/v1/incidents', { title: 'Card payments failing', severity: 'SEV1', service: 'payments', summary: 'Cards fail' })).json();
    expect((await send('PUT', `/api/v1/incidents/${inc.number}/roles/communications`, { user: alice.userId })).statusCode).toBe(200);
    const res = await send('POST', `/api/v1/incidents/${inc.number}/updates`, {
      kind: 'update', audiences: ['internal', 'responders'], body: 'Responders: rollback in progress, need DB help.',
      bodies: { internal: '**Current status**: card payments fail for some customers. Next steps: rollback.' },
    }, alice.token);
    expect(res.statusCode, res.body).toBe(201);
    // Answered before anything is sent: all queued, in the stakeholder lane.
    const update = res.json();
    expect(update.deliveries).toEqual({ internal: { total: 6, pending: 6, sent: 0, failed: 0 }, responders: { total: 1, pending: 1, sent: 0, failed: 0 } });
    expect(receiver.received).toHaveLength(0);
    const rows = await t.store.db.selectFrom('deliveries').select(['priority', 'purpose', 'channel']).where('update_id', '=', update.id).execute();
    expect(rows.every((r) => r.priority === 2 && r.purpose === 'update')).toBe(true);

    await t.paging.worker.drain();
    // E-mail through SMTP, the group's own words.
    const mails = smtp.mails.filter((m) => m.raw.includes('Card payments failing'));
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['ceo@example.test', 'cfo@example.test']);
    expect(mails[0]!.raw).toContain('Current status');
    expect(mails[0]!.raw).not.toContain('need DB help');
    // Slack incoming webhook.
    expect(at('/slack')).toHaveLength(1);
    expect(at('/slack')[0]!.body).toContain('card payments fail for some customers');
    // Generic webhook, signed with the group's secret.
    const hook = at('/hook')[0]!;
    expect(verifyWebhook(webhookSecret, { id: String(hook.headers['webhook-id']), timestamp: String(hook.headers['webhook-timestamp']), signature: String(hook.headers['webhook-signature']) }, hook.body, Math.floor(t.clock.now() / 1000))).toBe(true);
    expect(posted('/hook')[0]).toMatchObject({ type: 'incident.update_posted', data: { update: { audience: 'internal' } } });
    // Users and team members through their own contact methods; the comms lead as a responder.
    expect(posted('/bob').map((p) => p.data.update?.audience)).toEqual(['internal']);
    expect(posted('/carol').map((p) => p.data.update?.audience)).toEqual(['internal']);
    expect(posted('/alice').map((p) => p.data.update?.body)).toEqual(['Responders: rollback in progress, need DB help.']);
    const list = (await get(`/api/v1/incidents/${inc.number}/updates`)).json();
    expect(list.items[0].deliveries).toEqual({ internal: { total: 6, pending: 0, sent: 6, failed: 0 }, responders: { total: 1, pending: 0, sent: 1, failed: 0 } });

    // A SEV2 on search matches support's rule only.
    const sev2 = (await send('POST', '/api/v1/incidents', { title: 'Search slow', severity: 'SEV2', service: 'search' })).json();
    const other = (await send('POST', `/api/v1/incidents/${sev2.number}/updates`, { kind: 'initial', audiences: ['internal'], body: 'Search is slow.' })).json();
    expect(other.deliveries.internal.total).toBe(1);
    await t.paging.worker.drain();
    expect(smtp.mails.filter((m) => m.raw.includes('Search slow')).map((m) => m.to[0])).toEqual(['support@example.test']);
  });

  it('retries a failed send until it goes through (at least once)', async () => {
    let failures = 0;
    receiver.setMode((r) => (r.path === '/hook' && failures++ < 1 ? { status: 503 } : { status: 200 }));
    const inc = (await send('POST', '/api/v1/incidents', { title: 'Payouts delayed', severity: 'SEV1', service: 'payments' })).json();
    const before = at('/hook').length;
    const update = (await send('POST', `/api/v1/incidents/${inc.number}/updates`, { kind: 'initial', audiences: ['internal'], body: 'Payouts are delayed.' })).json();
    await t.paging.worker.drain();
    expect(at('/hook').length).toBe(before + 1);
    let list = (await get(`/api/v1/incidents/${inc.number}/updates`)).json();
    expect(list.items.find((u: { id: string }) => u.id === update.id).deliveries.internal.pending).toBe(1);
    t.clock.advance(5 * MIN);
    await t.paging.worker.drain();
    expect(at('/hook').length).toBe(before + 2);
    const ids = at('/hook').slice(before).map((r) => r.headers['webhook-id']);
    expect(ids[0]).toBe(ids[1]);
    list = (await get(`/api/v1/incidents/${inc.number}/updates`)).json();
    expect(list.items.find((u: { id: string }) => u.id === update.id).deliveries.internal).toMatchObject({ sent: 6, pending: 0 });
    receiver.setMode(() => ({ status: 200 }));
  });

  it('opens per-severity communication tasks that remind when due, and an update to the audience ticks them', async () => {
    const scheme = (await get('/api/v1/severities')).json().items as { key: string; commTasks: unknown[] }[];
    scheme[0]!.commTasks = [
      { title: 'Update the status page', audience: 'public', withinSeconds: 300 },
      { title: 'Brief management', audience: 'internal', withinSeconds: 1800 },
    ];
    const put = await send('PUT', '/api/v1/severities', { items: scheme });
    expect(put.statusCode, put.body).toBe(200);
    expect((await get('/api/v1/severities')).json().items[0].commTasks).toHaveLength(2);

    const inc = (await send('POST', '/api/v1/incidents', { title: 'Ledger mismatch', severity: 'SEV2', service: 'search' })).json();
    expect((await send('PUT', `/api/v1/incidents/${inc.number}/roles/communications`, { user: alice.userId })).statusCode).toBe(200);
    const tasksOf = async () => ((await get(`/api/v1/incidents/${inc.number}`)).json().tasks as { title: string; done: boolean }[]).filter((x) => /status page|management/.test(x.title));
    expect(await tasksOf()).toEqual([]);
    // Raised to SEV1: its communication tasks, due from now.
    expect((await send('POST', `/api/v1/incidents/${inc.number}/severity`, { severity: 'SEV1' })).statusCode).toBeLessThan(300);
    expect((await tasksOf()).map((x) => [x.title, x.done])).toEqual([['Update the status page', false], ['Brief management', false]]);
    const reminders = () => posted('/alice').filter((p) => p.type === 'incident.update_due');
    const before = reminders().length;
    t.clock.advance(5 * MIN);
    await t.paging.worker.drain();
    expect(reminders().length).toBe(before + 1);
    const timeline = (await get(`/api/v1/incidents/${inc.number}/timeline`)).json().items as { kind: string; body: string }[];
    expect(timeline.some((e) => e.kind === 'comm_deadline_missed' && e.body.includes('Update the status page') && e.body.includes('communications'))).toBe(true);
    // An internal update ticks "Brief management"; its timer goes with it.
    expect((await send('POST', `/api/v1/incidents/${inc.number}/updates`, { kind: 'update', audiences: ['internal'], body: 'Management briefed.' }, alice.token)).statusCode).toBe(201);
    expect((await tasksOf()).map((x) => [x.title, x.done])).toEqual([['Update the status page', false], ['Brief management', true]]);
    t.clock.advance(30 * MIN);
    await t.paging.worker.drain();
    // Only the still-open status page task reminds again (the next person, after the grace period).
    const after = (await get(`/api/v1/incidents/${inc.number}/timeline`)).json().items as { kind: string; body: string }[];
    expect(after.filter((e) => e.body.includes('Brief management') && e.kind.startsWith('comm_'))).toEqual([]);
    expect(after.some((e) => e.kind === 'comm_reminder_escalated' && e.body.includes('Update the status page'))).toBe(true);
  });
});
