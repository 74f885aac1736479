import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, isoOrNull } from '../incidents/incident-view.js';
import { findTemplate } from './find-template.js';
import { PreviewUpdateInput } from './schemas.js';
import { renderTemplate } from './templates.js';
import { cadenceMs, updateVariables } from './update-view.js';

export interface UpdatePreview {
  kind: string;
  audience: string | null;
  /** The rendered Markdown: what the compose box is pre-filled with. */
  body: string;
  /** The default "next update by" if posted now (null after a resolution or without a cadence). */
  nextUpdateBy: string | null;
  template: { source: string; body: string };
}

/** Renders the template for an incident without posting anything. */
export async function previewUpdate({ ctx, input, publicUrl }: { ctx: Ctx; input: unknown; publicUrl: string }): Promise<UpdatePreview> {
  authorize(ctx.actor, 'read');
  const data = parseInput(PreviewUpdateInput, input);
  const now = ctx.clock.now();
  if (data.kind === 'resolution' && data.nextUpdateBy != null) throw validation('nextUpdateBy', 'a resolution promises no next update');
  const db = ctx.store.db;
  const incident = await findIncidentRow(db, data.incident);
  const cadence = await cadenceMs(db, incident.severity);
  const nextUpdateBy = data.kind === 'resolution' ? null : data.nextUpdateBy === undefined ? (cadence === null ? null : now + cadence) : data.nextUpdateBy;
  const template = data.template !== undefined ? { source: 'request', body: data.template } : await findTemplate(db, data.kind, data.audience);
  const variables = await updateVariables(db, incident, { kind: data.kind, audience: data.audience ?? '', nextUpdateBy, publicUrl });
  const body = renderTemplate(template.body, variables, 'template');
  return { kind: data.kind, audience: data.audience ?? null, body, nextUpdateBy: isoOrNull(nextUpdateBy), template: { source: template.source, body: template.body } };
}
