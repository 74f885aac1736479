import type { Tx } from '../../store/index.js';
import type { ScheduledMaintenanceTable, TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { deleteTimer, upsertTimer } from '../paging/timers.js';
import { announceMaintenance } from './announce-maintenance.js';
import { nextTimer, timerIsCurrent, type MaintenanceTimerPayload } from './lifecycle.js';
import { applyMaintenanceAction } from './apply-action.js';

/**
 * The durable timer of a scheduled maintenance, like the escalation and update-cadence timers:
 * one row per maintenance (unique key), written in the transaction of every change to it, so a
 * restart loses none and a late worker catches up at once (past times run when it next claims).
 * It fires for the reminder, the start and the end, in that order (lifecycle.ts `nextTimer`).
 */
export const maintenanceTimerKey = (maintenanceId: string): string => `maintenance:${maintenanceId}`;

/** Sets the timer to the maintenance's next step, or deletes it when nothing is left to do. */
export async function scheduleMaintenanceTimer(tx: Tx, row: ScheduledMaintenanceTable, now: number): Promise<MaintenanceTimerPayload | null> {
  const reminded = row.status === 'scheduled' && row.remind_minutes !== null
    ? (await tx.selectFrom('maintenance_announcements').select('id').where('maintenance_id', '=', row.id).where('kind', '=', 'reminder').executeTakeFirst()) !== undefined
    : true;
  const next = nextTimer({ id: row.id, status: row.status, scheduledFor: row.scheduled_for, scheduledUntil: row.scheduled_until, remindMinutes: row.remind_minutes, reminded }, now);
  if (next === null) await deleteTimer(tx, maintenanceTimerKey(row.id));
  else await upsertTimer(tx, { key: maintenanceTimerKey(row.id), kind: 'maintenance', payload: { ...next }, runAt: next.at, generation: 1, now });
  return next;
}

/**
 * The worker's handler for `maintenance` timers: sends the reminder announcement, starts or
 * completes the maintenance, and sets the timer to the next step. A timer that no longer
 * describes the maintenance (edited, started or ended by hand, deleted) is stale and writes
 * nothing; so is one this instance no longer holds.
 */
export async function runMaintenanceTimers(ctx: Ctx, tx: Tx, timers: readonly TimerTable[], held: () => Promise<ReadonlySet<string>>): Promise<{ stale: TimerTable[] }> {
  const stale: TimerTable[] = [];
  const mine = await held();
  const now = ctx.clock.now();
  for (const timer of timers) {
    const payload = JSON.parse(timer.payload) as MaintenanceTimerPayload;
    const row = mine.has(timer.id)
      ? await ctx.store.dialect.forUpdate(tx.selectFrom('scheduled_maintenances').selectAll().where('id', '=', payload.maintenanceId)).executeTakeFirst()
      : undefined;
    const current = row && timerIsCurrent(payload, { status: row.status, scheduledFor: row.scheduled_for, scheduledUntil: row.scheduled_until, remindMinutes: row.remind_minutes });
    if (!row || !current) {
      stale.push(timer);
      continue;
    }
    let after: ScheduledMaintenanceTable = row;
    if (payload.step === 'reminder') {
      await announceMaintenance(tx, { maintenanceId: row.id, kind: 'reminder', at: now, data: { minutesBefore: row.remind_minutes, scheduledFor: row.scheduled_for } });
    } else {
      after = await applyMaintenanceAction(ctx, tx, row, payload.step === 'start' ? 'start' : 'complete', { automatic: true });
    }
    if ((await scheduleMaintenanceTimer(tx, after, now)) === null) stale.push(timer);
  }
  return { stale };
}
