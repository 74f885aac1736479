import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { UPDATE_KINDS } from './schemas.js';
import { DEFAULT_TEMPLATES } from './templates.js';
import { toTemplateView, type UpdateTemplateView } from './update-view.js';

/** Stored templates, plus the built-in one of each kind that has no any-audience template. */
export async function listUpdateTemplates({ ctx }: { ctx: Ctx }): Promise<UpdateTemplateView[]> {
  authorize(ctx.actor, 'read');
  const rows = await ctx.store.db.selectFrom('update_templates').selectAll().orderBy('kind').orderBy('audience').execute();
  const stored = rows.map(toTemplateView);
  const builtIn = UPDATE_KINDS.filter((k) => !rows.some((r) => r.kind === k && r.audience === '')).map(
    (kind): UpdateTemplateView => ({ id: null, kind, audience: null, body: DEFAULT_TEMPLATES[kind], source: 'built-in' }),
  );
  return [...builtIn, ...stored].sort((a, b) => UPDATE_KINDS.indexOf(a.kind as never) - UPDATE_KINDS.indexOf(b.kind as never) || (a.audience ?? '').localeCompare(b.audience ?? ''));
}
