import { notFound } from '../../core/errors.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';

export async function deleteAudienceRule({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const row = await tx.selectFrom('audience_rules').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!row) throw notFound('audience rule', input.id);
    assertNotManaged(row, 'this audience rule');
    await tx.deleteFrom('audience_rules').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'audience_rule.delete', target: row.id, data: {} });
  });
}
