import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { canonicalSeverityKeys, ChecklistFields, hasTasks, NO_TASKS, toChecklistTemplateView, type ChecklistTemplateView } from './checklist-template-view.js';

const CreateInput = z.object(ChecklistFields).refine(hasTasks, NO_TASKS);

/** A checklist added to every new incident of the listed severities (and to one raised to them). */
export async function createChecklistTemplate({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ChecklistTemplateView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(CreateInput, input);
  try {
    return await ctx.store.transaction(async (tx) => {
      const severities = await canonicalSeverityKeys(tx, data.severities);
      if (await tx.selectFrom('checklist_templates').select('id').where('slug', '=', data.slug).executeTakeFirst()) throw conflict(`a checklist template with slug ${data.slug} already exists`);
      const now = ctx.clock.now();
      const row = { id: newId('tpl', now), slug: data.slug, name: data.name, severities: JSON.stringify(severities), items: JSON.stringify(data.items), trigger: data.trigger, groups: JSON.stringify(data.groups), managed_by: null, created_at: now, updated_at: now };
      await tx.insertInto('checklist_templates').values(row).execute();
      await recordAudit(ctx, tx, { action: 'checklist.create', target: row.id, data: { slug: data.slug, severities, items: data.items.length } });
      return toChecklistTemplateView(row);
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw conflict(`a checklist template with slug ${data.slug} already exists`);
    throw e;
  }
}
