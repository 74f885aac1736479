import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import type { StatusPageTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { resolveServices } from '../maintenance/resolve-targets.js';
import { announceComponentChange } from '../subscribers/notify-subscribers.js';
import { placeAmongSiblings, renumber } from './component-order.js';
import { findComponentRow, findPageWithEditableComponents, groupIdFor, nameTakenAs400 } from './find-page.js';
import { componentViews, toPageView, type ComponentView, type StatusPageView } from './page-view.js';
import { ChangeComponentInput } from './schemas.js';

/**
 * Renames a component, rewrites its description, moves it to another group or place, or maps it
 * to other services (what is given). Its id stays, so published incidents, maintenances and
 * subscribers keep pointing at it. Subscribers hear of any status the move or mapping changes.
 */
export async function changeComponent({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<StatusPageView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(ChangeComponentInput, input);
  return nameTakenAs400(ctx, data.name, () => ctx.store.transaction(async (tx) => {
    const page = await findPageWithEditableComponents(tx, data.page);
    const row = await findComponentRow(tx, page.id, data.component);
    const rows = await tx.selectFrom('status_components').selectAll().where('page_id', '=', page.id).orderBy('position').orderBy('id').execute();
    if (data.name !== undefined && data.name !== row.name && rows.some((r) => r.id !== row.id && r.name === data.name)) {
      throw validation('name', `page ${page.slug} already has a component named ${data.name}`);
    }
    const groupId = data.group === undefined ? row.group_id : await groupIdFor(tx, page, data.group, row.is_group === 1);
    if (data.services !== undefined && row.is_group === 1 && data.services.length > 0) throw validation('services', 'a group has no services of its own: its members\' statuses make its status');
    const services = data.services === undefined ? row.services : JSON.stringify(await resolveServices(tx, data.services));
    const now = ctx.clock.now();
    const before = await componentViews(tx, page);
    await tx.updateTable('status_components').set({
      name: data.name ?? row.name, description: data.description ?? row.description, group_id: groupId, services, updated_at: now,
    }).where('id', '=', row.id).execute();
    if (groupId !== row.group_id || data.position !== undefined) await renumber(tx, placeAmongSiblings(rows, row, groupId, data.position), now);
    await announceStatusChanges(tx, page, before, await componentViews(tx, page), now);
    await tx.updateTable('status_pages').set({ updated_at: now }).where('id', '=', page.id).execute();
    await recordAudit(ctx, tx, { action: 'statuspage.component.change', target: row.id, data: { page: page.slug, name: row.name, changed: Object.keys(data).filter((k) => k !== 'page' && k !== 'component') } });
    return toPageView(tx, { ...page, updated_at: now });
  }));
}

/** Subscribers hear about every status shown that changed (a group's follows its members). */
export async function announceStatusChanges(tx: Tx, page: StatusPageTable, before: readonly ComponentView[], after: readonly ComponentView[], now: number): Promise<void> {
  const was = new Map(before.map((c) => [c.id, c.status]));
  for (const c of after) {
    const old = was.get(c.id);
    if (old !== undefined && old !== c.status) await announceComponentChange(tx, page, { component: c, oldStatus: old, newStatus: c.status, createdAt: now }, now);
  }
}
