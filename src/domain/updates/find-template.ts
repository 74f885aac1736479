import type { Db, Tx } from '../../store/index.js';
import type { Audience, UpdateKind } from './schemas.js';
import { DEFAULT_TEMPLATES } from './templates.js';
import { toTemplateView, type UpdateTemplateView } from './update-view.js';

/** The template for a kind and audience: the audience's own, else the kind's any-audience one, else built in. */
export async function findTemplate(db: Db | Tx, kind: UpdateKind, audience: Audience | undefined): Promise<UpdateTemplateView> {
  const rows = await db.selectFrom('update_templates').selectAll().where('kind', '=', kind).where('audience', 'in', audience ? [audience, ''] : ['']).execute();
  const row = rows.find((r) => r.audience === audience) ?? rows.find((r) => r.audience === '');
  return row ? toTemplateView(row) : { id: null, kind, audience: null, body: DEFAULT_TEMPLATES[kind], source: 'built-in' };
}
