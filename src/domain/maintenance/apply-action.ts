import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { ScheduledMaintenanceTable } from '../../store/schema.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { announceMaintenance, type AnnouncementKind } from './announce-maintenance.js';
import { holdAlerts, moveHoldEnd } from './hold-alerts.js';
import { isRunning, transition, type MaintenanceAction, type MaintenanceStatus } from './lifecycle.js';

/** Statuspage's standard texts for each move, used when the poster writes none. */
export const DEFAULT_BODY: Record<MaintenanceStatus, string> = {
  scheduled: 'This maintenance is scheduled.',
  in_progress: 'Scheduled maintenance is currently in progress. We will provide updates as necessary.',
  verifying: 'Verification is currently underway for the maintenance items.',
  completed: 'The scheduled maintenance has been completed.',
  cancelled: 'This scheduled maintenance has been cancelled.',
};

const ANNOUNCE: Partial<Record<MaintenanceStatus, AnnouncementKind>> = { in_progress: 'started', completed: 'completed', cancelled: 'cancelled' };

/**
 * One status move inside the caller's transaction, by request or by the timer: the row, a
 * public update, the alert hold (created at start, ended at completion or cancel), the
 * announcement, the page's time and the audit entry. The caller sets the timer afterwards.
 */
export async function applyMaintenanceAction(
  ctx: Ctx, tx: Tx, row: ScheduledMaintenanceTable, action: MaintenanceAction, options: { body?: string; automatic?: boolean } = {},
): Promise<ScheduledMaintenanceTable> {
  const move = transition(row.status as MaintenanceStatus, action);
  if ('error' in move) throw conflict(move.error);
  const now = ctx.clock.now();
  const next: ScheduledMaintenanceTable = { ...row, status: move.to, updated_at: now };
  if (action === 'start') {
    const hold = await holdAlerts(tx, row, now);
    next.started_at = now;
    next.silence_id = hold.silenceId;
    next.window_id = hold.windowId;
  }
  if (move.to === 'completed' || move.to === 'cancelled') {
    next.ended_at = now;
    if (isRunning(row.status)) await moveHoldEnd(tx, row, now, now);
  }
  await tx.updateTable('scheduled_maintenances')
    .set({ status: next.status, updated_at: now, started_at: next.started_at, ended_at: next.ended_at, silence_id: next.silence_id, window_id: next.window_id })
    .where('id', '=', row.id).execute();
  await tx.insertInto('scheduled_maintenance_updates').values({ id: newId('mupd', now), maintenance_id: row.id, status: move.to, body: options.body || DEFAULT_BODY[move.to], created_at: now }).execute();
  const kind = ANNOUNCE[move.to];
  if (kind) await announceMaintenance(tx, { maintenanceId: row.id, kind, at: now, data: { automatic: options.automatic === true } });
  await tx.updateTable('status_pages').set({ updated_at: now }).where('id', '=', row.page_id).execute();
  await recordAudit(ctx, tx, { action: `maintenance.${action}`, target: row.id, data: { name: row.name, status: move.to, automatic: options.automatic === true, silence: next.silence_id, window: next.window_id } });
  return next;
}
