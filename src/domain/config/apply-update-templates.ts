import { newId } from '../../core/ids.js';
import type { FirebreakConfig } from '../../config/config-file.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { MANAGED_BY_CONFIG } from '../names.js';
import { checkTemplate } from '../updates/templates.js';
import { assertScopeMayWrite, FILE_SCOPE, updatedWord, type ApplyScope } from './scope.js';

/**
 * `updateTemplates:` in firebreak.yaml: the file owns the templates it declares (keyed by kind
 * and audience); one it no longer declares is removed, and the built-in default applies again.
 * Each body was checked when the file was loaded; checked again here, so a file applied
 * without loading (tests, the API) cannot store a template that fails to render.
 */
export async function applyUpdateTemplates(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[], scope: ApplyScope = FILE_SCOPE): Promise<void> {
  const now = ctx.clock.now();
  const existing = await tx.selectFrom('update_templates').selectAll().execute();
  const key = (kind: string, audience: string) => `${kind}/${audience || 'any'}`;
  const byKey = new Map(existing.map((t) => [key(t.kind, t.audience), t]));
  const declared = new Set<string>();
  for (const [i, t] of config.updateTemplates.entries()) {
    checkTemplate(t.body, `updateTemplates.${i}.body`);
    const audience = t.audience ?? '';
    const k = key(t.kind, audience);
    declared.add(k);
    const row = byKey.get(k);
    if (!row) {
      await tx.insertInto('update_templates').values({ id: newId('utpl', now), kind: t.kind, audience, body: t.body, managed_by: scope.managedBy, created_at: now, updated_at: now }).execute();
      changes.push(`update template ${k}: created`);
    } else if (row.body !== t.body || row.managed_by !== scope.managedBy) {
      assertScopeMayWrite(scope, row, `update template ${k}`);
      await tx.updateTable('update_templates').set({ body: t.body, managed_by: scope.managedBy, updated_at: now }).where('id', '=', row.id).execute();
      changes.push(`update template ${k}: ${updatedWord(scope, row)}`);
    }
  }
  if (!scope.prune) return;
  for (const row of existing) {
    const k = key(row.kind, row.audience);
    if (row.managed_by !== MANAGED_BY_CONFIG || declared.has(k)) continue;
    await tx.deleteFrom('update_templates').where('id', '=', row.id).execute();
    changes.push(`update template ${k}: removed`);
  }
}
