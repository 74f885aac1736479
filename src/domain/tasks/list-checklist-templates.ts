import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { toChecklistTemplateView, type ChecklistTemplateView } from './checklist-template-view.js';

export async function listChecklistTemplates({ ctx }: { ctx: Ctx }): Promise<ChecklistTemplateView[]> {
  authorize(ctx.actor, 'read');
  return (await ctx.store.db.selectFrom('checklist_templates').selectAll().orderBy('slug').execute()).map(toChecklistTemplateView);
}
