import { notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findPageRow } from '../statuspages/find-page.js';
import { applyMaintenanceAction } from './apply-action.js';
import { holdIds } from './hold-alerts.js';
import { scheduleMaintenanceTimer } from './maintenance-timers.js';
import { toMaintenanceView, type MaintenanceView } from './maintenance-view.js';
import { TransitionMaintenanceInput } from './schemas.js';

/**
 * Starts (early), moves to verifying, completes (early) or cancels a maintenance by request.
 * `ended` lists the silence and window ids that ended with it: the caller releases the alerts
 * they held (the existing release), after the commit.
 */
export async function transitionMaintenance({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ maintenance: MaintenanceView; ended: string[] }> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(TransitionMaintenanceInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    // Locked: the timer's handler locks it too, so a start by hand and the scheduled start never both run.
    const row = await ctx.store.dialect.forUpdate(tx.selectFrom('scheduled_maintenances').selectAll().where('page_id', '=', page.id).where('id', '=', data.maintenance)).executeTakeFirst();
    if (!row) throw notFound('scheduled maintenance', data.maintenance);
    const next = await applyMaintenanceAction(ctx, tx, row, data.action, { body: data.body });
    await scheduleMaintenanceTimer(tx, next, ctx.clock.now());
    const ended = next.status === 'completed' || next.status === 'cancelled' ? holdIds(next) : [];
    return { maintenance: await toMaintenanceView(tx, next, page.slug), ended };
  });
}
