import { conflict, notFound, validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import type { ScheduledMaintenanceTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { findPageRow } from '../statuspages/find-page.js';
import { maintenanceMatchers, moveHoldEnd } from './hold-alerts.js';
import { isOver, isRunning, scheduleProblem, type MaintenanceStatus } from './lifecycle.js';
import { scheduleMaintenanceTimer } from './maintenance-timers.js';
import { toMaintenanceView, type MaintenanceView } from './maintenance-view.js';
import { resolveComponents, resolveServices } from './resolve-targets.js';
import { UpdateMaintenanceInput } from './schemas.js';

/**
 * Edits a maintenance that is not over. While it runs, its start and what it silences are
 * fixed (its silence and window exist already); its end can still move, and they move with it.
 */
export async function updateMaintenance({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<MaintenanceView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(UpdateMaintenanceInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    // Locked, as the timer's handler locks it: an edit and a scheduled start never interleave.
    const row = await ctx.store.dialect.forUpdate(tx.selectFrom('scheduled_maintenances').selectAll().where('page_id', '=', page.id).where('id', '=', data.maintenance)).executeTakeFirst();
    if (!row) throw notFound('scheduled maintenance', data.maintenance);
    if (isOver(row.status)) throw conflict(`maintenance ${row.id} is ${row.status}; it can no longer be edited`);
    const running = isRunning(row.status);
    if (running && data.scheduledFor !== undefined && data.scheduledFor !== row.scheduled_for) throw validation('scheduledFor', 'cannot change: the maintenance has started');
    if (running && (data.matchers !== undefined || data.services !== undefined)) throw validation(data.matchers !== undefined ? 'matchers' : 'services', 'cannot change while the maintenance runs');
    const now = ctx.clock.now();
    const next: ScheduledMaintenanceTable = {
      ...row, updated_at: now,
      name: data.name ?? row.name, description: data.description ?? row.description,
      scheduled_for: data.scheduledFor ?? row.scheduled_for, scheduled_until: data.scheduledUntil ?? row.scheduled_until,
      remind_minutes: data.remindMinutes === undefined ? row.remind_minutes : data.remindMinutes,
      components: data.components ? JSON.stringify(await resolveComponents(tx, page, data.components)) : row.components,
      matchers: data.matchers !== undefined ? JSON.stringify(maintenanceMatchers(data.matchers)) : row.matchers,
      services: data.services ? JSON.stringify(await resolveServices(tx, data.services)) : row.services,
    };
    // Only a changed start must lie ahead; an unchanged one of a scheduled maintenance may be due now.
    const problem = scheduleProblem({ scheduledFor: next.scheduled_for, scheduledUntil: next.scheduled_until, status: next.scheduled_for === row.scheduled_for ? 'in_progress' : (row.status as MaintenanceStatus) }, now);
    if (problem) throw validation(problem.field, problem.message);
    await tx.updateTable('scheduled_maintenances').set({
      name: next.name, description: next.description, scheduled_for: next.scheduled_for, scheduled_until: next.scheduled_until, remind_minutes: next.remind_minutes,
      components: next.components, matchers: next.matchers, services: next.services, updated_at: now,
    }).where('id', '=', row.id).execute();
    if (running && next.scheduled_until !== row.scheduled_until) await moveHoldEnd(tx, row, next.scheduled_until, now);
    await scheduleMaintenanceTimer(tx, next, now);
    await tx.updateTable('status_pages').set({ updated_at: now }).where('id', '=', page.id).execute();
    await recordAudit(ctx, tx, { action: 'maintenance.update', target: row.id, data: { fields: Object.keys(data).filter((k) => k !== 'page' && k !== 'maintenance') } });
    return toMaintenanceView(tx, next, page.slug);
  });
}
