import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import { announceMaintenanceToSubscribers } from '../subscribers/announce-maintenance.js';

export const ANNOUNCEMENT_KINDS = ['scheduled', 'reminder', 'started', 'completed', 'cancelled'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];

/**
 * THE notification point of scheduled maintenance: every transition subscribers are to hear
 * about passes through here, in the transaction of the transition itself: `scheduled` (created),
 * `reminder` (`remind_minutes` before the start, from the durable timer), `started` (at the
 * scheduled start or by hand), `completed` (at the scheduled end or by hand) and `cancelled`.
 *
 * It records one `maintenance_announcements` row per maintenance and kind (unique, so a timer
 * that runs twice announces once) and, the first time only, tells the page's subscribers in the
 * same transaction (domain/subscribers: a notification row the worker fans out in the bulk
 * delivery lane, below pages and reminders). Returns whether this call was the first.
 */
export async function announceMaintenance(tx: Tx, announcement: { maintenanceId: string; kind: AnnouncementKind; at: number; data?: Record<string, unknown> }): Promise<boolean> {
  const result = await tx
    .insertInto('maintenance_announcements')
    .values({ id: newId('mann', announcement.at), maintenance_id: announcement.maintenanceId, kind: announcement.kind, data: JSON.stringify(announcement.data ?? {}), created_at: announcement.at })
    .onConflict((oc) => oc.columns(['maintenance_id', 'kind']).doNothing())
    .executeTakeFirst();
  const first = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  if (first) await announceMaintenanceToSubscribers(tx, announcement.maintenanceId, announcement.kind, announcement.at);
  return first;
}
