import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { findComponentRow, findPageRow } from './find-page.js';
import { toPageView, type StatusPageView } from './page-view.js';
import { SetComponentStatusInput } from './schemas.js';

/** Overrides a component's derived status by hand (null: derive again). */
export async function setComponentStatus({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<StatusPageView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(SetComponentStatusInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const component = await findComponentRow(tx, page.id, data.component);
    const now = ctx.clock.now();
    await tx.updateTable('status_components').set({ status_override: data.status, updated_at: now }).where('id', '=', component.id).execute();
    await tx.updateTable('status_pages').set({ updated_at: now }).where('id', '=', page.id).execute();
    await recordAudit(ctx, tx, { action: 'statuspage.component.status', target: component.id, data: { page: page.slug, status: data.status } });
    return toPageView(tx, { ...page, updated_at: now });
  });
}
