import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { findChecklistTemplate } from './checklist-template-view.js';

/** Tasks already added from the template stay on their incidents. */
export async function deleteChecklistTemplate({ ctx, input }: { ctx: Ctx; input: { template: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const row = await findChecklistTemplate(tx, input.template);
    assertNotManaged(row, `checklist template ${row.slug}`);
    await tx.deleteFrom('checklist_templates').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'checklist.delete', target: row.id, data: { slug: row.slug, name: row.name } });
  });
}
