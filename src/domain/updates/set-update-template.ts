import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { SetTemplateInput } from './schemas.js';
import { checkTemplate } from './templates.js';
import { toTemplateView, type UpdateTemplateView } from './update-view.js';

/**
 * Creates or replaces the template of a kind (and audience). Checked before saving: a syntax
 * error or an unknown variable is a 400 on `body` with its line and column.
 */
export async function setUpdateTemplate({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<UpdateTemplateView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(SetTemplateInput, input);
  checkTemplate(data.body, 'body');
  const audience = data.audience ?? '';
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.selectFrom('update_templates').selectAll().where('kind', '=', data.kind).where('audience', '=', audience).executeTakeFirst();
    if (existing) assertNotManaged(existing, `the ${data.kind} template${audience ? ` for ${audience}` : ''}`);
    if (existing) {
      await tx.updateTable('update_templates').set({ body: data.body, updated_at: now }).where('id', '=', existing.id).execute();
    } else {
      await tx.insertInto('update_templates').values({ id: newId('utpl', now), kind: data.kind, audience, body: data.body, managed_by: null, created_at: now, updated_at: now }).execute();
    }
    const row = await tx.selectFrom('update_templates').selectAll().where('kind', '=', data.kind).where('audience', '=', audience).executeTakeFirstOrThrow();
    await recordAudit(ctx, tx, { action: 'update_template.set', target: row.id, data: { kind: data.kind, audience: audience || null } });
    return toTemplateView(row);
  });
}
