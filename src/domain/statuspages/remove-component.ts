import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { announceStatusChanges } from './change-component.js';
import { forgetComponents, renumber } from './component-order.js';
import { findComponentRow, findPageWithEditableComponents } from './find-page.js';
import { componentViews, toPageView, type StatusPageView } from './page-view.js';
import { RemoveComponentInput } from './schemas.js';

/**
 * Removes a component from its page, with its history bars. A group's members are not removed
 * with it: they move to the top level where the group was, as Statuspage does. Published
 * incidents, maintenances and subscribers stop listing it (component-order.ts: forgetComponents).
 */
export async function removeComponent({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<StatusPageView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(RemoveComponentInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageWithEditableComponents(tx, data.page);
    const row = await findComponentRow(tx, page.id, data.component);
    const now = ctx.clock.now();
    const before = await componentViews(tx, page);
    // Members first, to the top level (the foreign key would otherwise remove them with the group).
    const ungrouped = row.is_group === 1 ? Number((await tx.updateTable('status_components').set({ group_id: null, updated_at: now }).where('group_id', '=', row.id).executeTakeFirst()).numUpdatedRows) : 0;
    await tx.deleteFrom('status_components').where('id', '=', row.id).execute();
    const widened = await forgetComponents(tx, page.id, new Set([row.id]), now);
    await renumber(tx, await tx.selectFrom('status_components').selectAll().where('page_id', '=', page.id).orderBy('position').orderBy('id').execute(), now);
    await announceStatusChanges(tx, page, before, await componentViews(tx, page), now);
    await tx.updateTable('status_pages').set({ updated_at: now }).where('id', '=', page.id).execute();
    await recordAudit(ctx, tx, { action: 'statuspage.component.remove', target: row.id, data: { page: page.slug, name: row.name, ungrouped, subscribersNowFollowingTheWholePage: widened } });
    return toPageView(tx, { ...page, updated_at: now });
  });
}
