import { conflict, notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { findPageRow } from './find-page.js';
import { toPublicIncidentView, type PublicIncidentView } from './public-incident-view.js';
import { PublishDraftInput } from './schemas.js';

/** The one click: an auto-publish draft goes public as it is (or with the title/first update given). */
export async function publishDraft({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PublicIncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(PublishDraftInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const incident = await findIncidentRow(tx, data.incident);
    const row = await tx.selectFrom('public_incidents').selectAll().where('page_id', '=', page.id).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!row) throw notFound(`draft on ${page.slug} for incident`, String(incident.number));
    if (row.draft !== 1) throw conflict(`incident ${incident.number} is already public on ${page.slug}`);
    const now = ctx.clock.now();
    const name = data.name ?? row.name;
    await tx.updateTable('public_incidents').set({ draft: 0, name, created_at: now, updated_at: now }).where('id', '=', row.id).execute();
    // The draft's updates go public with it, stamped now (when the public first sees them).
    await tx.updateTable('public_incident_updates').set({ created_at: now }).where('public_incident_id', '=', row.id).execute();
    if (data.body) {
      const first = await tx.selectFrom('public_incident_updates').select('id').where('public_incident_id', '=', row.id).orderBy('created_at').orderBy('id').executeTakeFirst();
      if (first) await tx.updateTable('public_incident_updates').set({ body: data.body }).where('id', '=', first.id).execute();
    }
    await tx.updateTable('status_pages').set({ updated_at: now }).where('id', '=', page.id).execute();
    await appendTimeline(ctx, tx, incident.id, 'published', `Published the draft on status page **${page.name}** as "${name}"`, { page: page.slug, publicIncidentId: row.id });
    return toPublicIncidentView(tx, { ...row, draft: 0, name, created_at: now, updated_at: now }, page.slug);
  });
}
