import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationMessage } from '../../src/notify/message.js';
import { parseOutboundAllow } from '../../src/notify/ssrf.js';
import { sendWebhook } from '../../src/notify/webhook/send.js';
import { startReceiver } from './receivers.js';
import { createLinkSigner } from '../../src/domain/paging/ack-token.js';
import { slackSignature, verifySlackRequest } from '../../src/notify/slack/verify.js';
import { signWebhook, verifyWebhook } from '../../src/notify/webhook/sign.js';
import { retryDelayMs, backoffMs } from '../../src/worker/backoff.js';
import { parseRetryAfter } from '../../src/notify/http-outcome.js';

describe('Standard Webhooks signing', () => {
  it('matches the spec test vector', () => {
    expect(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
  it.each([
    ['valid', {}, true],
    ['tampered body', { body: '{"test": 1}' }, false],
    ['wrong secret', { secret: 'whsec_' + Buffer.from('other-secret-xxxxxxxxxxxx').toString('base64') }, false],
    ['too old', { now: 1614265330 + 301 }, false],
    ['rotation: second signature matches', { extra: 'v1,AAAA ' }, true],
  ])('%s', (_name, change: { body?: string; secret?: string; now?: number; extra?: string }, expected) => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sig = signWebhook(secret, 'msg_1', 1614265330, '{"test": 2432232314}');
    expect(verifyWebhook(change.secret ?? secret, { id: 'msg_1', timestamp: '1614265330', signature: (change.extra ?? '') + sig }, change.body ?? '{"test": 2432232314}', change.now ?? 1614265330)).toBe(expected);
  });
});

describe('Slack request signing', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  it('matches the official test vector', () => {
    expect(slackSignature(secret, '1531420618', body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });
  it.each([
    ['valid', { ts: '1531420618', sig: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', now: 1531420618 }, true],
    ['skew over 5 minutes', { ts: '1531420618', sig: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', now: 1531420618 + 301 }, false],
    ['wrong signature', { ts: '1531420618', sig: 'v0=00', now: 1531420618 }, false],
    ['missing headers', { ts: undefined, sig: undefined, now: 1531420618 }, false],
  ])('%s', (_n, c: { ts: string | undefined; sig: string | undefined; now: number }, ok) => {
    expect(verifySlackRequest(secret, { timestamp: c.ts, signature: c.sig }, body, c.now).ok).toBe(ok);
  });
});

describe('one-click link tokens', () => {
  const signer = createLinkSigner('k');
  const claims = { incidentId: 'inc_01kjmdeb80p7340knqcc7enx97', userId: 'usr_01kjmdeb80p7340knqcc7enx90', action: 'acknowledge' as const, expiresAt: 2_000_000_000_000 };
  it('round-trips, stays under the 100-character path limit, and refuses changes', () => {
    const token = signer.sign(claims);
    expect(token.length).toBeLessThan(100);
    expect(signer.verify(token, 0)).toEqual(claims);
    expect('error' in signer.verify(token.replace('.a.', '.r.').replace(/^a/, 'r'), 0)).toBe(true);
    expect('error' in createLinkSigner('other').verify(token, 0)).toBe(true);
    expect('error' in signer.verify(token, claims.expiresAt)).toBe(true);
  });
});

describe('backoff', () => {
  it.each([
    [1, 0, 2_500], [1, 1, 5_000], [2, 1, 10_000], [10, 1, 600_000], [30, 0.5, 450_000],
  ])('attempt %i with random %f waits %i ms', (attempt, r, expected) => {
    expect(backoffMs(attempt, { baseMs: 5_000, capMs: 600_000, random: () => r })).toBe(expected);
  });
  it('honours a longer Retry-After, capped at an hour', () => {
    expect(retryDelayMs(1, 120_000, { baseMs: 5_000, capMs: 600_000, random: () => 0 })).toBe(120_000);
    expect(retryDelayMs(1, 10 * 3_600_000, { baseMs: 5_000, capMs: 600_000, random: () => 0 })).toBe(3_600_000);
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});

describe('outgoing webhooks verified with the official standardwebhooks package', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const message: NotificationMessage = {
    deliveryId: 'dlv_01kjmdeb80p7340knqcc7enx97', purpose: 'test', at: Date.now(), incident: null, recipient: null, reason: null, links: {},
  };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => { receiver = await startReceiver(); });
  afterAll(() => receiver?.close());

  /** One real POST from our sender to a local receiver; its body and headers as received. */
  async function send(nowMs: () => number): Promise<{ body: string; headers: Record<string, string> }> {
    receiver.received.length = 0;
    const outcome = await sendWebhook(message, { address: `${receiver.url}/hook`, secret }, { policy: parseOutboundAllow('127.0.0.1/32').policy, timeoutMs: 5_000, nowMs });
    expect(outcome).toMatchObject({ ok: true });
    const [req] = receiver.received;
    const header = (name: string) => String(req!.headers[name]);
    return { body: req!.body, headers: { 'webhook-id': header('webhook-id'), 'webhook-timestamp': header('webhook-timestamp'), 'webhook-signature': header('webhook-signature') } };
  }

  it('verifies what our sender posts, and refuses a changed body, another secret or an old timestamp', async () => {
    const { body, headers } = await send(() => Date.now());
    expect(headers['webhook-id']).toBe(message.deliveryId);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('firebreak.test', 'firebreak.tset'), headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(body, headers)).toThrow(WebhookVerificationError);
    const old = await send(() => Date.now() - 10 * 60_000);
    expect(() => new Webhook(secret).verify(old.body, old.headers)).toThrow(/too old/);
  });

  it('our verifier accepts what the package signs (both directions agree)', () => {
    const ts = Math.floor(Date.now() / 1000);
    const body = '{"type":"firebreak.test"}';
    const theirs = new Webhook(secret).sign('msg_interop', new Date(ts * 1000), body);
    expect(theirs).toBe(signWebhook(secret, 'msg_interop', ts, body));
    expect(verifyWebhook(secret, { id: 'msg_interop', timestamp: String(ts), signature: theirs }, body, ts)).toBe(true);
  });
});
