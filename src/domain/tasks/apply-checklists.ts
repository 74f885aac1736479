import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';
import { expandChecklist, insertChecklistTasks } from './expand-checklist.js';

/**
 * Adds the tasks of every checklist template with this trigger that applies to `severity` and
 * was not applied to this incident before (a SEV-3 raised to SEV-1 gains the SEV-1 checklist
 * once). `on_open` runs when an incident opens or its severity changes; `on_resolve` when it
 * resolves, with due times counted from the resolution.
 */
export async function applyChecklistTemplates(ctx: Ctx, tx: Tx, incidentId: string, severity: string, trigger: 'on_open' | 'on_resolve' = 'on_open'): Promise<number> {
  const templates = (await tx.selectFrom('checklist_templates').selectAll().where('trigger', '=', trigger).orderBy('slug').execute()).filter((t) =>
    (JSON.parse(t.severities) as string[]).some((s) => s.toLowerCase() === severity.toLowerCase()),
  );
  if (templates.length === 0) return 0;
  const existing = await tx.selectFrom('tasks').select(['source', 'position']).where('incident_id', '=', incidentId).execute();
  const applied = new Set(existing.map((t) => t.source));
  let position = existing.reduce((max, t) => Math.max(max, t.position), 0);
  let added = 0;
  for (const template of templates) {
    const source = `template:${template.slug}`;
    if (applied.has(source)) continue;
    const tasks = expandChecklist(template);
    position = await insertChecklistTasks(ctx, tx, { incidentId, source, tasks, position, from: ctx.clock.now() });
    added += tasks.length;
    await appendTimeline(ctx, tx, incidentId, 'task_added', `Applied checklist **${template.name}** (${tasks.length} items)`, {
      template: template.slug,
      count: tasks.length,
    });
  }
  return added;
}

/** Post-incident checklists: `on_resolve` templates apply in the resolving transaction. */
export async function applyResolveChecklists(ctx: Ctx, tx: Tx, change: { type: string; incident: { id: string; severity: string }; to?: string }): Promise<void> {
  if (change.type === 'status_changed' && change.to === 'resolved') await applyChecklistTemplates(ctx, tx, change.incident.id, change.incident.severity, 'on_resolve');
}
