import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { findComponentRow, findPageRow } from './find-page.js';
import { componentViews, toPageView, type StatusPageView } from './page-view.js';
import { announceComponentChange } from '../subscribers/notify-subscribers.js';
import { SetComponentStatusInput } from './schemas.js';

/** Overrides a component's derived status by hand (null: derive again). */
export async function setComponentStatus({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<StatusPageView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(SetComponentStatusInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const component = await findComponentRow(tx, page.id, data.component);
    const now = ctx.clock.now();
    const before = (await componentViews(tx, page)).find((c) => c.id === component.id)!;
    await tx.updateTable('status_components').set({ status_override: data.status, updated_at: now }).where('id', '=', component.id).execute();
    const after = (await componentViews(tx, page)).find((c) => c.id === component.id)!;
    // Subscribers hear about the status shown changing, not about an override that changes nothing.
    if (after.status !== before.status) await announceComponentChange(tx, page, { component: after, oldStatus: before.status, newStatus: after.status, createdAt: now }, now);
    await tx.updateTable('status_pages').set({ updated_at: now }).where('id', '=', page.id).execute();
    await recordAudit(ctx, tx, { action: 'statuspage.component.status', target: component.id, data: { page: page.slug, status: data.status } });
    return toPageView(tx, { ...page, updated_at: now });
  });
}
