import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { resolveServices } from '../maintenance/resolve-targets.js';
import { findPageWithEditableComponents, groupIdFor, nameTakenAs400 } from './find-page.js';
import { toPageView, type StatusPageView } from './page-view.js';
import { AddComponentInput } from './schemas.js';

/** Adds a component (or a group) at the end of its page; returns the page. */
export async function addComponent({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<StatusPageView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(AddComponentInput, input);
  return nameTakenAs400(ctx, data.name, () => ctx.store.transaction(async (tx) => {
    const page = await findPageWithEditableComponents(tx, data.page);
    // A name the page already has: the unique index refuses it (nameTakenAs400).
    const groupId = await groupIdFor(tx, page, data.group, data.isGroup);
    const serviceIds = await resolveServices(tx, data.services);
    const last = await tx.selectFrom('status_components').select((eb) => eb.fn.max('position').as('p')).where('page_id', '=', page.id).executeTakeFirst();
    const now = ctx.clock.now();
    const row = {
      id: newId('spc', now), page_id: page.id, group_id: groupId, is_group: data.isGroup ? 1 : 0, name: data.name, description: data.description,
      position: Number(last?.p ?? 0) + 1, services: JSON.stringify(serviceIds), status_override: null, created_at: now, updated_at: now,
    };
    await tx.insertInto('status_components').values(row).execute();
    await tx.updateTable('status_pages').set({ updated_at: now }).where('id', '=', page.id).execute();
    await recordAudit(ctx, tx, { action: 'statuspage.component.add', target: row.id, data: { page: page.slug, name: row.name, group: data.isGroup } });
    return toPageView(tx, { ...page, updated_at: now });
  }));
}
