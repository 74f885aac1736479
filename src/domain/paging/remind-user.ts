import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';

/** Reminders and stakeholder traffic ride the lower lane: pages (0) are claimed first. */
export const REMINDER_PRIORITY = 1;

/**
 * Deliveries to every working contact method of a user, in the reminder lane. Keyed by
 * (incident, action key, method): a handler run twice reminds once. Returns how many were new.
 */
export async function remindUser(tx: Tx, input: { userId: string; incidentId: string | null; actionKey: string; purpose: string; now: number; emailOnly?: boolean }): Promise<number> {
  let q = tx.selectFrom('contact_methods').select(['id', 'kind']).where('user_id', '=', input.userId).where('disabled_reason', 'is', null);
  if (input.emailOnly) q = q.where('kind', '=', 'email');
  const methods = await q.orderBy('created_at').execute();
  let reached = 0;
  for (const m of methods) {
    const result = await tx
      .insertInto('deliveries')
      .values({
        id: newId('dlv', input.now), incident_id: input.incidentId, action_key: input.actionKey, user_id: input.userId,
        contact_method_id: m.id, channel: m.kind, purpose: input.purpose, status: 'pending', attempts: 0, due_at: input.now, next_attempt_at: input.now,
        locked_by: null, locked_until: null, last_error: null, last_status_code: null, latency_ms: null, created_at: input.now, sent_at: null,
        priority: REMINDER_PRIORITY,
      })
      .onConflict((oc) => oc.columns(['incident_id', 'action_key', 'contact_method_id']).doNothing())
      .executeTakeFirst();
    reached += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return reached;
}
