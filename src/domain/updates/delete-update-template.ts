import { notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { DeleteTemplateInput } from './schemas.js';

/** Deletes a stored template; the kind's any-audience template or the built-in one applies again. */
export async function deleteUpdateTemplate({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<void> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(DeleteTemplateInput, input);
  const audience = data.audience ?? '';
  await ctx.store.transaction(async (tx) => {
    const row = await tx.selectFrom('update_templates').selectAll().where('kind', '=', data.kind).where('audience', '=', audience).executeTakeFirst();
    if (!row) throw notFound('update template', `${data.kind}${audience ? `/${audience}` : ''}`);
    assertNotManaged(row, 'this template');
    await tx.deleteFrom('update_templates').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'update_template.delete', target: row.id, data: { kind: data.kind, audience: audience || null } });
  });
}
