import { conflict, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { findComponentRow, findPageRow } from './find-page.js';
import { componentViews } from './page-view.js';
import { appendPublicUpdate, toPublicIncidentView, type PublicIncidentView } from './public-incident-view.js';
import { PublishIncidentInput } from './schemas.js';
import { announcePublicIncident } from '../subscribers/notify-subscribers.js';
import { impactOf, worst } from './status.js';

/**
 * Publishes an incident on a page under its own public name, with a first public update. Only
 * what is given here becomes public; the internal incident (title, labels, notes, people) never.
 */
export async function publishIncident({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PublicIncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(PublishIncidentInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const incident = await findIncidentRow(tx, data.incident);
    const existing = await tx.selectFrom('public_incidents').select(['id', 'draft']).where('page_id', '=', page.id).where('incident_id', '=', incident.id).executeTakeFirst();
    if (existing && existing.draft !== 1) throw conflict(`incident ${incident.number} is already published on ${page.slug}; post a public update instead`);
    // Publishing by hand over an auto-publish draft: what is given here replaces the draft.
    if (existing) {
      await tx.deleteFrom('public_incident_updates').where('public_incident_id', '=', existing.id).execute();
      await tx.deleteFrom('public_incidents').where('id', '=', existing.id).execute();
    }
    const components = await componentViews(tx, page);
    let affected: string[];
    if (data.components) {
      affected = [];
      for (const [i, ref] of data.components.entries()) {
        const c = await findComponentRow(tx, page.id, ref).catch(() => { throw validation(`components.${i}`, `no component ${ref} on page ${page.slug}`); });
        affected.push(c.id);
      }
    } else {
      affected = components.filter((c) => !c.group && incident.service_id !== null && c.services.includes(incident.service_id)).map((c) => c.id);
    }
    const impact = data.impact ?? impactOf(worst(components.filter((c) => affected.includes(c.id)).map((c) => c.status)));
    const now = ctx.clock.now();
    const row = {
      id: newId('pinc', now), page_id: page.id, incident_id: incident.id, name: data.name, impact, status: data.status,
      components: JSON.stringify([...new Set(affected)]), started_at: Math.min(incident.declared_at, now), monitoring_at: null, resolved_at: null, created_at: now, updated_at: now, draft: 0,
    };
    await tx.insertInto('public_incidents').values(row).execute();
    const published = await appendPublicUpdate(tx, row, { id: newId('pupd', now), status: data.status, body: data.body, at: now });
    await announcePublicIncident(tx, page, published, now);
    await appendTimeline(ctx, tx, incident.id, 'published', `Published on status page **${page.name}** as "${data.name}"`, { page: page.slug, publicIncidentId: row.id });
    return toPublicIncidentView(tx, published, page.slug);
  });
}
