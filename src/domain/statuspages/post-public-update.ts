import { notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { findPageRow } from './find-page.js';
import { appendPublicUpdate, toPublicIncidentView, type PublicIncidentView } from './public-incident-view.js';
import { PostPublicUpdateInput } from './schemas.js';
import { announcePublicIncident } from '../subscribers/notify-subscribers.js';

/** Posts a public update on a published incident (its status moves with it). */
export async function postPublicUpdate({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PublicIncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(PostPublicUpdateInput, input);
  return ctx.store.transaction(async (tx) => {
    const page = await findPageRow(tx, data.page);
    const incident = await findIncidentRow(tx, data.incident);
    const row = await tx.selectFrom('public_incidents').selectAll().where('page_id', '=', page.id).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!row) throw notFound(`public incident on ${page.slug} for incident`, String(incident.number));
    const now = ctx.clock.now();
    const updated = await appendPublicUpdate(tx, row, { id: newId('pupd', now), status: data.status, body: data.body, at: now });
    await announcePublicIncident(tx, page, updated, now);
    await appendTimeline(ctx, tx, incident.id, 'public_update', `Public update on **${page.name}** (${data.status})`, { page: page.slug, publicIncidentId: row.id });
    return toPublicIncidentView(tx, updated, page.slug);
  });
}

/**
 * A stakeholder update for the `public` audience, copied to every page the incident is
 * published on, in the poster's transaction. The public status stays as it is, except that a
 * resolution update resolves it. Not published anywhere: nothing to do.
 */
export async function mirrorStakeholderUpdate(tx: Tx, update: { incidentId: string; kind: string; body: string; at: number }): Promise<number> {
  const rows = await tx.selectFrom('public_incidents').selectAll().where('incident_id', '=', update.incidentId).execute();
  for (const row of rows) {
    const status = update.kind === 'resolution' ? 'resolved' : row.status;
    const updated = await appendPublicUpdate(tx, row, { id: newId('pupd', update.at), status, body: update.body, at: update.at });
    await announcePublicIncident(tx, await findPageRow(tx, row.page_id), updated, update.at);
  }
  return rows.length;
}
