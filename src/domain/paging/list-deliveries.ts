import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';

export interface DeliveryView {
  id: string;
  userId: string | null;
  contactMethodId: string | null;
  channel: string;
  purpose: string;
  status: string;
  attempts: number;
  dueAt: string;
  nextAttemptAt: string;
  sentAt: string | null;
  latencyMs: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

/** The delivery log of an incident: one row per (step, contact method), with its last attempt. */
export async function listIncidentDeliveries({ ctx, input }: { ctx: Ctx; input: { incident: string } }): Promise<{ items: DeliveryView[] }> {
  authorize(ctx.actor, 'read');
  const incident = await findIncidentRow(ctx.store.db, input.incident);
  const rows = await ctx.store.db.selectFrom('deliveries').selectAll().where('incident_id', '=', incident.id).orderBy('created_at').orderBy('id').execute();
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    items: rows.map((r) => ({
      id: r.id, userId: r.user_id, contactMethodId: r.contact_method_id, channel: r.channel, purpose: r.purpose, status: r.status, attempts: r.attempts,
      dueAt: iso(r.due_at)!, nextAttemptAt: iso(r.next_attempt_at)!, sentAt: iso(r.sent_at), latencyMs: r.latency_ms, lastStatusCode: r.last_status_code, lastError: r.last_error,
    })),
  };
}
