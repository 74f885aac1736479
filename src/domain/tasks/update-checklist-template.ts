import { z } from 'zod';
import { conflict, validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { ChecklistItem } from '../names.js';
import { canonicalSeverityKeys, CHECKLIST_TRIGGERS, ChecklistFields, ChecklistGroup, findChecklistTemplate, toChecklistTemplateView, type ChecklistTemplateView } from './checklist-template-view.js';

const UpdateInput = z.object({
  template: z.string().min(1),
  slug: ChecklistFields.slug.optional(),
  name: ChecklistFields.name.optional(),
  severities: ChecklistFields.severities.optional(),
  items: z.array(ChecklistItem).max(100).optional(),
  trigger: z.enum(CHECKLIST_TRIGGERS).optional(),
  groups: z.array(ChecklistGroup).max(20).optional(),
});

/** Incidents that already have the checklist keep their tasks; only later incidents see the change. */
export async function updateChecklistTemplate({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ChecklistTemplateView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(UpdateInput, input);
  try {
    return await ctx.store.transaction(async (tx) => {
      const row = await findChecklistTemplate(tx, data.template);
      const next = {
        slug: data.slug ?? row.slug,
        name: data.name ?? row.name,
        severities: data.severities ? JSON.stringify(await canonicalSeverityKeys(tx, data.severities)) : row.severities,
        items: data.items ? JSON.stringify(data.items) : row.items,
        trigger: data.trigger ?? row.trigger ?? 'on_open',
        groups: data.groups ? JSON.stringify(data.groups) : (row.groups ?? '[]'),
      };
      if (next.items === '[]' && next.groups === '[]') throw validation('items', 'name at least one item (or a group with items)');
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== row[k]);
      if (changed.length === 0) return toChecklistTemplateView(row);
      assertNotManaged(row, `checklist template ${row.slug}`);
      const updated = { ...row, ...next, updated_at: ctx.clock.now() };
      await tx.updateTable('checklist_templates').set({ ...next, updated_at: updated.updated_at }).where('id', '=', row.id).execute();
      await recordAudit(ctx, tx, { action: 'checklist.update', target: row.id, data: { slug: next.slug, changed } });
      return toChecklistTemplateView(updated);
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw conflict(`a checklist template with slug ${data.slug} already exists`);
    throw e;
  }
}
