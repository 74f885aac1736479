import { sendMail } from '../email/send.js';
import { outcomeOfError, outcomeOfResponse } from '../http-outcome.js';
import { postGuarded } from '../http-transport.js';
import type { SendOutcome } from '../message.js';
import type { ChannelDeps } from '../registry.js';
import { signWebhook } from '../webhook/sign.js';
import { renderSubscriberEmail, renderSubscriberWebhook, type SubscriberMessage } from './render.js';

/**
 * One attempt to one subscriber. Webhooks are signed per Standard Webhooks (`webhook-id` = the
 * delivery id, the same on every retry, so a receiver drops a duplicate; `webhook-signature` =
 * HMAC-SHA256 with the subscriber's secret) and go through the outbound SSRF guard again.
 */
export async function sendToSubscriber(m: SubscriberMessage, deps: ChannelDeps): Promise<SendOutcome> {
  if (m.channel === 'email') {
    const mail = renderSubscriberEmail(m);
    return sendMail({ to: m.address, subject: mail.subject, text: mail.text, html: mail.html, deliveryId: m.deliveryId, headers: mail.headers }, deps.smtp, 'bulk');
  }
  const body = renderSubscriberWebhook(m);
  const ts = Math.floor(deps.nowMs() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Firebreak-Webhooks/1',
    'webhook-id': m.deliveryId,
    'webhook-timestamp': String(ts),
  };
  if (m.secret) headers['webhook-signature'] = signWebhook(m.secret, m.deliveryId, ts, body);
  const started = performance.now();
  try {
    const res = await postGuarded(m.address, { headers, body }, deps.outbound);
    return outcomeOfResponse(res, deps.nowMs());
  } catch (e) {
    return outcomeOfError(e, Math.round(performance.now() - started));
  }
}
