import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startReceiver } from './receivers.js';

/**
 * Slack's interactivity request, as Slack sends it: a form-encoded `payload=` of a block_actions
 * event for the Acknowledge / Resolve buttons of a real paging message, signed with Slack's v0
 * scheme (computed here independently of the server's code) and checked within five minutes.
 */
const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

function signed(body: string, timestamp: number, secret = SIGNING_SECRET): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

function blockActions(actionId: string, value: string): string {
  const payload = {
    type: 'block_actions',
    user: { id: 'U2CERLKJA', username: 'alice.slack', name: 'alice.slack', team_id: 'T1DC2JH3J' },
    api_app_id: 'A0KRD7HC3',
    token: 'legacy-verification-token-unused',
    container: { type: 'message', message_ts: '1548261231.000200', channel_id: 'C0CAA0ABC', is_ephemeral: false },
    trigger_id: '12466734323.1395872398.3d6d3f1a4e1e2c2bd6c9fba2a4ee8d5f',
    team: { id: 'T1DC2JH3J', domain: 'example' },
    channel: { id: 'C0CAA0ABC', name: 'oncall' },
    response_url: 'https://hooks.slack.com/actions/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
    actions: [{ action_id: actionId, block_id: 'actions', text: { type: 'plain_text', text: 'Acknowledge', emoji: true }, value, type: 'button', action_ts: '1548426417.840180' }],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

describe.each(DIALECTS)('Slack interactions over HTTP on %s', (dialect) => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: string;
  let alice: { token: string; userId: string };

  const post = (url: string, body: unknown, token = admin) => t.app.inject({ method: 'POST', url, payload: body as object, headers: bearer(token) });
  const interact = (body: string, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/integrations/slack/interactions', payload: body, headers });
  const now = () => Math.floor(t.clock.now() / 1000);

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect, { paging: { config: { outboundAllow: '127.0.0.1/32', slackSigningSecret: SIGNING_SECRET } } });
    admin = (await t.userWithKey('admin')).token;
    alice = await t.userWithKey('responder');
    expect((await post('/api/v1/contact-methods', { kind: 'slack', address: `${receiver.url}/slack` }, alice.token)).statusCode).toBe(201);
    const policy = await post('/api/v1/escalation-policies', { name: 'Slack', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: alice.userId }] }], severities: ['SEV1'] });
    expect(policy.statusCode, policy.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  /** Opens a SEV1, lets the worker post the Slack message, and returns its button values. */
  async function pagedInSlack(title: string): Promise<{ number: number; ack: string; resolve: string }> {
    receiver.received.length = 0;
    const inc = (await post('/api/v1/incidents', { title, severity: 'SEV1' })).json() as { number: number };
    await t.paging.worker.drain();
    const message = JSON.parse(receiver.received.find((r) => r.path === '/slack')!.body) as { blocks: { type: string; elements?: { action_id?: string; value?: string }[] }[] };
    const buttons = message.blocks.flatMap((b) => b.elements ?? []);
    const value = (id: string) => buttons.find((e) => e.action_id === id)!.value!;
    return { number: inc.number, ack: value('firebreak_ack'), resolve: value('firebreak_resolve') };
  }
  const statusOf = async (n: number) => (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${n}`, headers: bearer(admin) })).json().status as string;

  it('the Acknowledge button acknowledges as the paged user, and Resolve resolves', async () => {
    const inc = await pagedInSlack('Slack ack');
    const ackBody = blockActions('firebreak_ack', inc.ack);
    const ack = await interact(ackBody, signed(ackBody, now()));
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ response_type: 'ephemeral', text: `Incident #${inc.number} is now acknowledged.` });
    expect(await statusOf(inc.number)).toBe('acknowledged');
    const timeline = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${inc.number}/timeline`, headers: bearer(admin) })).json().items as { kind: string; body: string; actor: { id: string } }[];
    const event = timeline.find((e) => e.kind === 'status_changed')!;
    expect(event.actor.id).toBe(alice.userId);
    expect(event.body).toContain('via Slack by @alice.slack');
    // Clicking again is answered politely, not with an error.
    const again = await interact(ackBody, signed(ackBody, now()));
    expect(again.statusCode).toBe(200);
    expect(again.json().text).toMatch(/acknowledged|cannot|already/i);

    t.clock.advance(60_000);
    const resolveBody = blockActions('firebreak_resolve', inc.resolve);
    const resolved = await interact(resolveBody, signed(resolveBody, now()));
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().text).toBe(`Incident #${inc.number} is now resolved.`);
    expect(await statusOf(inc.number)).toBe('resolved');
  });

  it.each([
    ['a wrong signing secret', (body: string, at: number) => signed(body, at, 'not-the-signing-secret'), 'signature does not match'],
    ['a timestamp 301 s old', (body: string, at: number) => signed(body, at - 301), 'more than 5 minutes'],
    ['a timestamp 301 s ahead', (body: string, at: number) => signed(body, at + 301), 'more than 5 minutes'],
    ['a signature over another body', (_body: string, at: number) => signed(blockActions('firebreak_resolve', 'x'), at), 'signature does not match'],
    ['no signature headers', () => ({ 'content-type': 'application/x-www-form-urlencoded' }), 'missing'],
  ])('refuses %s with 401 and changes nothing', async (_name, headersFor, reason) => {
    const inc = await pagedInSlack('Slack refused');
    const body = blockActions('firebreak_ack', inc.ack);
    const res = await interact(body, headersFor(body, now()));
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/^Slack signature check failed: /);
    expect(res.json().message).toContain(reason);
    expect(await statusOf(inc.number)).toBe('triggered');
    await post(`/api/v1/incidents/${inc.number}/resolve`, {});
  });

  it('accepts a timestamp 299 s old (inside the five-minute window)', async () => {
    const inc = await pagedInSlack('Slack window edge');
    const body = blockActions('firebreak_ack', inc.ack);
    const res = await interact(body, signed(body, now() - 299));
    expect(res.statusCode).toBe(200);
    expect(await statusOf(inc.number)).toBe('acknowledged');
    await post(`/api/v1/incidents/${inc.number}/resolve`, {});
  });

  it('a correctly signed request with a tampered button token acts on nothing', async () => {
    const inc = await pagedInSlack('Slack tampered token');
    const body = blockActions('firebreak_ack', `${inc.ack.slice(0, -2)}xx`);
    const res = await interact(body, signed(body, now()));
    expect(res.statusCode).toBe(200);
    expect(res.json().response_type).toBe('ephemeral');
    expect(await statusOf(inc.number)).toBe('triggered');
    await post(`/api/v1/incidents/${inc.number}/resolve`, {});
  });
});
