import { newId } from '../../core/ids.js';
import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { findPageRow } from '../statuspages/find-page.js';
import { announceMaintenance } from './announce-maintenance.js';
import { DEFAULT_BODY } from './apply-action.js';
import { maintenanceMatchers } from './hold-alerts.js';
import { scheduleProblem } from './lifecycle.js';
import { scheduleMaintenanceTimer } from './maintenance-timers.js';
import { toMaintenanceView, type MaintenanceView } from './maintenance-view.js';
import { resolveComponents, resolveServices } from './resolve-targets.js';
import { CreateMaintenanceInput } from './schemas.js';

/**
 * Schedules a maintenance on a page: announced at once, reminded `remindMinutes` before, and
 * started and completed by its durable timer at the scheduled times.
 */
export async function createMaintenance({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<MaintenanceView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(CreateMaintenanceInput, input);
  const matchers = maintenanceMatchers(data.matchers);
  const now = ctx.clock.now();
  const problem = scheduleProblem({ scheduledFor: data.scheduledFor, scheduledUntil: data.scheduledUntil, status: 'scheduled' }, now);
  if (problem) throw validation(problem.field, problem.message);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const components = await resolveComponents(tx, page, data.components);
    const services = await resolveServices(tx, data.services);
    const row = {
      id: newId('maint', now), page_id: page.id, name: data.name, description: data.description, status: 'scheduled',
      scheduled_for: data.scheduledFor, scheduled_until: data.scheduledUntil, remind_minutes: data.remindMinutes,
      components: JSON.stringify(components), matchers: JSON.stringify(matchers), services: JSON.stringify(services),
      silence_id: null, window_id: null, started_at: null, ended_at: null, created_by: ctx.actor.name, created_at: now, updated_at: now,
    };
    await tx.insertInto('scheduled_maintenances').values(row).execute();
    await tx.insertInto('scheduled_maintenance_updates').values({ id: newId('mupd', now), maintenance_id: row.id, status: 'scheduled', body: data.description.trim() || DEFAULT_BODY.scheduled, created_at: now }).execute();
    await announceMaintenance(tx, { maintenanceId: row.id, kind: 'scheduled', at: now, data: { scheduledFor: row.scheduled_for, scheduledUntil: row.scheduled_until } });
    await scheduleMaintenanceTimer(tx, row, now);
    await tx.updateTable('status_pages').set({ updated_at: now }).where('id', '=', page.id).execute();
    await recordAudit(ctx, tx, { action: 'maintenance.create', target: row.id, data: { page: page.slug, name: row.name, scheduledFor: row.scheduled_for, scheduledUntil: row.scheduled_until } });
    return toMaintenanceView(tx, row, page.slug);
  });
}
