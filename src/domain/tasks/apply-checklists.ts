import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';

/**
 * Adds the items of every checklist template that applies to `severity` and was not applied to
 * this incident before (a SEV-3 raised to SEV-1 gains the SEV-1 checklist once).
 */
export async function applyChecklistTemplates(ctx: Ctx, tx: Tx, incidentId: string, severity: string): Promise<number> {
  const templates = (await tx.selectFrom('checklist_templates').selectAll().orderBy('slug').execute()).filter((t) =>
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
    const items = JSON.parse(template.items) as string[];
    const now = ctx.clock.now();
    for (const title of items) {
      position += 1;
      await tx
        .insertInto('tasks')
        .values({ id: newId('task', now), incident_id: incidentId, title, position, source, done: 0, done_by: null, done_at: null, created_at: now })
        .execute();
    }
    added += items.length;
    await appendTimeline(ctx, tx, incidentId, 'task_added', `Applied checklist **${template.name}** (${items.length} items)`, {
      template: template.slug,
      count: items.length,
    });
  }
  return added;
}
