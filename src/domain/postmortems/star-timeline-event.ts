import { actorId } from '../../core/actor.js';
import { notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, iso } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { StarInput } from './schemas.js';

export interface StarView {
  eventId: string;
  tag: string;
  starredBy: string;
  starredAt: string;
}

/**
 * Stars a key moment of an incident's timeline with a tag (detection, diagnosis, mitigation,
 * repair, other); starring again changes the tag. The star is kept beside the event: the
 * timeline itself stays append-only.
 */
export async function starTimelineEvent({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<StarView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(StarInput, input);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const event = await tx.selectFrom('timeline_events').select('id').where('id', '=', data.event).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!event) throw notFound(`timeline event of incident #${incident.number}`, data.event);
    const values = { tag: data.tag, starred_by: actorId(ctx.actor), starred_by_name: ctx.actor.name, starred_at: now };
    await tx.insertInto('timeline_stars').values({ event_id: event.id, incident_id: incident.id, ...values })
      .onConflict((oc) => oc.column('event_id').doUpdateSet(values)).execute();
    return { eventId: event.id, tag: data.tag, starredBy: ctx.actor.name, starredAt: iso(now) };
  });
}

export async function unstarTimelineEvent({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ eventId: string; starred: false }> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(StarInput.pick({ incident: true, event: true }), input);
  const incident = await findIncidentRow(ctx.store.db, data.incident);
  await ctx.store.db.deleteFrom('timeline_stars').where('event_id', '=', data.event).where('incident_id', '=', incident.id).execute();
  return { eventId: data.event, starred: false };
}

export async function listStars({ ctx, input }: { ctx: Ctx; input: { incident: unknown } }): Promise<StarView[]> {
  authorize(ctx.actor, 'read');
  const incident = await findIncidentRow(ctx.store.db, parseInput(IncidentRef, input.incident, 'incident'));
  const rows = await ctx.store.db.selectFrom('timeline_stars').selectAll().where('incident_id', '=', incident.id).orderBy('event_id').execute();
  return rows.map((r) => ({ eventId: r.event_id, tag: r.tag, starredBy: r.starred_by_name, starredAt: iso(Number(r.starred_at)) }));
}
