import type { Ctx } from '../domain/context.js';
import { timelineRow } from '../domain/paging/timeline-rows.js';
import type { SendOutcome } from '../notify/message.js';
import type { Store, Tx } from '../store/index.js';
import type { DeliveryResult } from '../store/paging-batch-writer.js';
import type { TimelineEventTable } from '../store/schema.js';
import { retryDelayMs } from './backoff.js';
import type { PreparedDelivery } from './messages.js';

/** One attempt that ended, waiting for its result to be written (the worker's group commit). */
export type FinishedAttempt = { prepared: PreparedDelivery; outcome: SendOutcome | { ok: false; cancelled: true; error: string }; finishedAt: number };

/**
 * Writes a batch of finished attempts of the deliveries `owner` claimed: one statement per kind
 * of row (the dialect's paging writer), a retry time for what may be retried, and a `delivery`
 * timeline entry on each one's incident, written as `ctx`'s actor.
 */
export async function writeDeliveryResults(tx: Tx, store: Store, ctx: Ctx, owner: string, batch: readonly FinishedAttempt[], options: { maxAttempts: number; retryBaseMs: number; retryCapMs: number; random: () => number }): Promise<void> {
  const writer = store.dialect.pagingWriter;
  const results: DeliveryResult[] = [];
  const verdicts: string[] = [];
  for (const f of batch) {
    const { row } = f.prepared;
    const o = f.outcome;
    const now = f.finishedAt;
    // Every column written in full from the claimed row: this instance owns it while the claim holds.
    const r: DeliveryResult = {
      id: row.id, attempts: row.attempts, status: row.status, next_attempt_at: row.next_attempt_at, sent_at: row.sent_at,
      latency_ms: row.latency_ms, last_status_code: row.last_status_code, last_error: row.last_error,
    };
    if (o.ok) {
      Object.assign(r, { status: 'sent', sent_at: now, latency_ms: o.latencyMs, last_status_code: o.status, last_error: null });
      verdicts.push('sent');
    } else if ('cancelled' in o) {
      Object.assign(r, { status: 'cancelled', last_error: o.error });
      verdicts.push('cancelled');
    } else if (o.retryable && row.attempts < options.maxAttempts) {
      const delay = retryDelayMs(row.attempts, o.retryAfterMs, { baseMs: options.retryBaseMs, capMs: options.retryCapMs, random: options.random });
      Object.assign(r, { status: 'pending', next_attempt_at: now + delay, last_error: o.error, last_status_code: o.status, latency_ms: o.latencyMs });
      verdicts.push(`failed, retrying in ${Math.round(delay / 1000)}s`);
    } else {
      Object.assign(r, { status: 'failed', last_error: o.error, last_status_code: o.status, latency_ms: o.latencyMs });
      verdicts.push('failed');
    }
    results.push(r);
  }
  // A claim lost meanwhile (lease ran out and someone else took it): their result counts.
  const written = await writer.finishDeliveries(tx, owner, results);
  const timeline: TimelineEventTable[] = [];
  for (const [i, f] of batch.entries()) {
    const { row } = f.prepared;
    const o = f.outcome;
    if (!written.has(row.id)) continue;
    if (!o.ok && !('cancelled' in o) && o.disable) {
      if (row.contact_method_id) await tx.updateTable('contact_methods').set({ disabled_reason: `disabled after ${o.error}`, updated_at: f.finishedAt }).where('id', '=', row.contact_method_id).execute();
      // A subscriber's webhook answered 410 Gone: the receiver asks to be unsubscribed.
      if (row.subscriber_id) await tx.deleteFrom('status_subscribers').where('id', '=', row.subscriber_id).execute();
    }
    if (!row.incident_id) continue;
    // A stakeholder group's own address has no person: say which audience it went to.
    const who = f.prepared.message.recipient?.name ?? (row.audience ? `the ${row.audience} audience` : row.user_id ?? 'unknown');
    const detail = o.ok ? `${o.status ?? 'ok'}, ${o.latencyMs} ms` : o.error;
    timeline.push(timelineRow(ctx, row.incident_id, 'delivery', `${row.channel} to ${who}: ${verdicts[i]} (${detail})`, {
      deliveryId: row.id,
      channel: row.channel,
      userId: row.user_id,
      contactMethodId: row.contact_method_id,
      attempt: row.attempts,
      result: results[i]!.status,
      statusCode: o.ok ? o.status : 'cancelled' in o ? null : o.status,
      latencyMs: o.ok ? o.latencyMs : 'cancelled' in o ? null : o.latencyMs,
      lateByMs: Math.max(0, f.finishedAt - row.due_at),
      error: o.ok ? null : o.error,
    }));
  }
  await writer.insertTimeline(tx, timeline, { touchIncidents: false });
}
