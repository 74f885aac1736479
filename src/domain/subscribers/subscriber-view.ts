import { validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db, Tx } from '../../store/index.js';
import type { StatusPageTable, StatusSubscriberTable } from '../../store/schema.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';
import { findComponentRow } from '../statuspages/find-page.js';

/**
 * Lanes of the delivery queue (deliveries.priority; lower is claimed first): pages 0, reminders
 * and stakeholder traffic 1, subscriber confirmations 2, subscriber notifications 3. The worker
 * also caps how many send slots the subscriber lanes (≥ 2) may hold at once, so a page always
 * finds a free one.
 */
export const CONFIRM_PRIORITY = 2;
export const NOTIFY_PRIORITY = 3;

/** A confirmation mail is sent again for the same address at most this often. */
export const CONFIRM_RESEND_MS = 5 * 60_000;

/** The admin's view; the address never leaves the admin API. */
export interface SubscriberView {
  id: string;
  page: string;
  kind: string;
  address: string;
  components: string[];
  confirmed: boolean;
  confirmedAt: string | null;
  createdAt: string;
}

export function toSubscriberView(row: StatusSubscriberTable, pageSlug: string): SubscriberView {
  return {
    id: row.id, page: pageSlug, kind: row.kind, address: row.address, components: JSON.parse(row.components),
    confirmed: row.confirmed_at !== null, confirmedAt: isoOrNull(row.confirmed_at), createdAt: iso(row.created_at),
  };
}

/** Component refs (id or name) of this page to ids; one of another page names its field. */
export async function resolveComponents(tx: Db | Tx, page: StatusPageTable, refs: readonly string[], field = 'components'): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, ref] of refs.entries()) {
    const c = await findComponentRow(tx, page.id, ref).catch(() => { throw validation(`${field}.${i}`, `no component ${ref} on page ${page.slug}`); });
    ids.push(c.id);
  }
  return [...new Set(ids)];
}

/** Queues the double opt-in mail (its delivery renders the confirm link from the subscriber's token). */
export async function enqueueConfirmation(tx: Tx, subscriberId: string, now: number): Promise<void> {
  await tx.insertInto('deliveries').values({
    id: newId('dlv', now), incident_id: null, action_key: `subscriber_confirm:${now}`, user_id: null, contact_method_id: null, subscriber_id: subscriberId,
    channel: 'email', purpose: 'subscriber_confirm', status: 'pending', attempts: 0, due_at: now, next_attempt_at: now,
    locked_by: null, locked_until: null, last_error: null, last_status_code: null, latency_ms: null, created_at: now, sent_at: null, priority: CONFIRM_PRIORITY,
  }).execute();
  await tx.updateTable('status_subscribers').set({ confirm_sent_at: now }).where('id', '=', subscriberId).execute();
}

/** Whether a subscriber who chose `chosen` (empty: all) hears about something touching `touched` (empty: the whole page). */
export function matchesComponents(chosen: readonly string[], touched: readonly string[]): boolean {
  if (chosen.length === 0 || touched.length === 0) return true;
  const set = new Set(touched);
  return chosen.some((c) => set.has(c));
}
