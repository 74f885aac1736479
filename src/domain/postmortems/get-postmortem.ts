import { notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { findPostmortemRow, postmortemOfIncident, toPostmortemView, toPostmortemViews, type PostmortemView } from './postmortem-view.js';
import { ListPostmortemsInput, PostmortemRef } from './schemas.js';

export async function getPostmortem({ ctx, input }: { ctx: Ctx; input: { postmortem: unknown } }): Promise<PostmortemView> {
  authorize(ctx.actor, 'read');
  const id = parseInput(PostmortemRef, input.postmortem, 'postmortem');
  return toPostmortemView(ctx.store.db, await findPostmortemRow(ctx.store.db, id), ctx.clock.now());
}

/** The post-mortem covering an incident; 404 when the incident has none (or does not exist). */
export async function getIncidentPostmortem({ ctx, input }: { ctx: Ctx; input: { incident: unknown } }): Promise<PostmortemView> {
  authorize(ctx.actor, 'read');
  const ref = parseInput(IncidentRef, input.incident, 'incident');
  const incident = await findIncidentRow(ctx.store.db, ref);
  const row = await postmortemOfIncident(ctx.store.db, incident.id);
  if (!row) throw notFound('post-mortem of incident', `#${incident.number}`);
  return toPostmortemView(ctx.store.db, row, ctx.clock.now());
}

/** Newest first; `status` filters. */
export async function listPostmortems({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PostmortemView[]> {
  authorize(ctx.actor, 'read');
  const data = parseInput(ListPostmortemsInput, input);
  let q = ctx.store.db.selectFrom('postmortems').selectAll();
  if (data.status) q = q.where('status', '=', data.status);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(data.limit).execute();
  return toPostmortemViews(ctx.store.db, rows, ctx.clock.now());
}

/** The document as a Markdown file: a small header block, then the body as written. */
export function postmortemMarkdown(view: PostmortemView): string {
  const head = [
    `<!-- Firebreak post-mortem ${view.id} · ${view.status}${view.publishedAt ? ` ${view.publishedAt}` : ''} · incidents ${view.incidents.map((i) => `#${i.number}`).join(', ')} -->`,
  ];
  return `${head.join('\n')}\n\n${view.body.trimEnd()}\n`;
}
