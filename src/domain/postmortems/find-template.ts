import { validation } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import { BUILT_IN_TEMPLATES, type BuiltInTemplate } from './templates.js';

export interface TemplateView {
  slug: string;
  name: string;
  body: string;
  builtIn: boolean;
  managedBy: string | null;
}

export async function listTemplateViews(db: Db | Tx): Promise<TemplateView[]> {
  const own = await db.selectFrom('postmortem_templates').selectAll().orderBy('slug').execute();
  return [
    ...BUILT_IN_TEMPLATES.map((t: BuiltInTemplate) => ({ ...t, builtIn: true, managedBy: null })),
    ...own.map((t) => ({ slug: t.slug, name: t.name, body: t.body, builtIn: false, managedBy: t.managed_by })),
  ];
}

/** A built-in or a team's template by slug; an unknown one is a 400 on `template` listing the known ones. */
export async function findTemplate(db: Db | Tx, slug: string): Promise<TemplateView> {
  const all = await listTemplateViews(db);
  const found = all.find((t) => t.slug === slug);
  if (!found) throw validation('template', `unknown template '${slug}'; known: ${all.map((t) => t.slug).join(', ')}`);
  return found;
}
