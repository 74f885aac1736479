import { postGuarded, type OutboundDeps } from '../http-transport.js';
import { outcomeOfError, outcomeOfResponse } from '../http-outcome.js';
import type { NotificationMessage, SendOutcome } from '../message.js';
import { renderWebhook } from './render.js';
import { signWebhook } from './sign.js';

/** One attempt: signed per Standard Webhooks with `webhook-id` = the delivery id. */
export async function sendWebhook(
  message: NotificationMessage,
  destination: { address: string; secret: string | null },
  deps: OutboundDeps & { nowMs: () => number },
): Promise<SendOutcome> {
  const body = renderWebhook(message);
  // The timestamp is of this attempt (spec); the id is the same on every attempt.
  const ts = Math.floor(deps.nowMs() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Firebreak-Webhooks/1',
    'webhook-id': message.deliveryId,
    'webhook-timestamp': String(ts),
  };
  if (destination.secret) headers['webhook-signature'] = signWebhook(destination.secret, message.deliveryId, ts, body);
  const started = performance.now();
  try {
    const res = await postGuarded(destination.address, { headers, body }, deps);
    return outcomeOfResponse(res, deps.nowMs());
  } catch (e) {
    return outcomeOfError(e, Math.round(performance.now() - started));
  }
}
