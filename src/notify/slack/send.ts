import { postGuarded, type OutboundDeps } from '../http-transport.js';
import { outcomeOfError, outcomeOfResponse } from '../http-outcome.js';
import type { NotificationMessage, SendOutcome } from '../message.js';
import { renderSlack } from './render.js';

/**
 * Slack incoming webhook. Slack answers plain text (`ok`, `invalid_payload`, `channel_not_found`);
 * 403/404/410 mean the hook is gone, so the destination is disabled rather than retried.
 */
export async function sendSlack(message: NotificationMessage, destination: { address: string }, deps: OutboundDeps & { nowMs: () => number }): Promise<SendOutcome> {
  const body = JSON.stringify({ ...renderSlack(message), unfurl_links: false });
  const started = performance.now();
  try {
    const res = await postGuarded(destination.address, { headers: { 'content-type': 'application/json' }, body }, deps);
    const outcome = outcomeOfResponse(res, deps.nowMs(), (r) => `HTTP ${r.status} ${/^[a-z_]{1,40}$/.test(r.body.trim()) ? r.body.trim() : ''}`.trim());
    if (!outcome.ok && (res.status === 403 || res.status === 404 || res.status === 410)) return { ...outcome, retryable: false, disable: true };
    return outcome;
  } catch (e) {
    return outcomeOfError(e, Math.round(performance.now() - started));
  }
}
