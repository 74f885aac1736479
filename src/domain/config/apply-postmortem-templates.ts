import { newId } from '../../core/ids.js';
import type { FirebreakConfig } from '../../config/config-file.js';
import { conflict } from '../../core/errors.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { MANAGED_BY_CONFIG } from '../names.js';
import { assertScopeMayWrite, FILE_SCOPE, updatedWord, type ApplyScope } from './scope.js';
import { BUILT_IN_TEMPLATES, checkPostmortemTemplate } from '../postmortems/templates.js';

/**
 * `postmortemTemplates:` in firebreak.yaml: the file owns the templates it declares (by slug);
 * one it no longer declares is removed. Bodies are checked again here (as at load), so a file
 * applied without loading cannot store a template that fails to render.
 */
export async function applyPostmortemTemplates(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[], scope: ApplyScope = FILE_SCOPE): Promise<void> {
  const now = ctx.clock.now();
  const existing = await tx.selectFrom('postmortem_templates').selectAll().execute();
  const bySlug = new Map(existing.map((t) => [t.slug, t]));
  const declared = new Set<string>();
  for (const [i, t] of config.postmortemTemplates.entries()) {
    if (BUILT_IN_TEMPLATES.some((b) => b.slug === t.slug)) throw conflict(`postmortemTemplates.${i}.slug: '${t.slug}' is a built-in template`);
    checkPostmortemTemplate(t.body, `postmortemTemplates.${i}.body`);
    declared.add(t.slug);
    const row = bySlug.get(t.slug);
    if (!row) {
      await tx.insertInto('postmortem_templates').values({ id: newId('pmt', now), slug: t.slug, name: t.name, body: t.body, managed_by: scope.managedBy, created_at: now, updated_at: now }).execute();
      changes.push(`post-mortem template ${t.slug}: created`);
    } else if (row.body !== t.body || row.name !== t.name || row.managed_by !== scope.managedBy) {
      assertScopeMayWrite(scope, row, `post-mortem template ${t.slug}`);
      await tx.updateTable('postmortem_templates').set({ name: t.name, body: t.body, managed_by: scope.managedBy, updated_at: now }).where('id', '=', row.id).execute();
      changes.push(`post-mortem template ${t.slug}: ${updatedWord(scope, row)}`);
    }
  }
  if (!scope.prune) return;
  for (const row of existing) {
    if (row.managed_by !== MANAGED_BY_CONFIG || declared.has(row.slug)) continue;
    await tx.deleteFrom('postmortem_templates').where('id', '=', row.id).execute();
    changes.push(`post-mortem template ${row.slug}: removed`);
  }
}
