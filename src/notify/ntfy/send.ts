import { postGuarded, type OutboundDeps } from '../http-transport.js';
import { outcomeOfError, outcomeOfResponse } from '../http-outcome.js';
import type { NotificationMessage, SendOutcome } from '../message.js';
import { renderNtfy } from './render.js';

/** Self-hosted push: POST to the topic URL (e.g. https://ntfy.example.com/oncall-alice). */
export async function sendNtfy(message: NotificationMessage, destination: { address: string; secret: string | null }, deps: OutboundDeps & { nowMs: () => number }): Promise<SendOutcome> {
  const { body, headers } = renderNtfy(message);
  const all: Record<string, string> = { ...headers, 'content-type': 'text/plain; charset=utf-8', 'x-firebreak-delivery': message.deliveryId };
  // An access token for protected topics, kept in the contact method's secret.
  if (destination.secret) all.authorization = `Bearer ${destination.secret}`;
  const started = performance.now();
  try {
    const res = await postGuarded(destination.address, { headers: all, body }, deps);
    return outcomeOfResponse(res, deps.nowMs());
  } catch (e) {
    return outcomeOfError(e, Math.round(performance.now() - started));
  }
}
