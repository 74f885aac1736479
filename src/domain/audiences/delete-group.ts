import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { findGroupRow } from './group-view.js';

/** Deletes a group, its members and its rules; deliveries already made keep their records. */
export async function deleteAudienceGroup({ ctx, input }: { ctx: Ctx; input: { group: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const row = await findGroupRow(tx, input.group);
    assertNotManaged(row, `audience group ${row.slug}`);
    await tx.deleteFrom('audience_rules').where('group_id', '=', row.id).execute();
    await tx.deleteFrom('audience_group_members').where('group_id', '=', row.id).execute();
    await tx.deleteFrom('audience_groups').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'audience_group.delete', target: row.id, data: { slug: row.slug } });
  });
}
