import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { findService, findTeam } from '../lookups.js';
import { toActionItemViews, type ActionItemView } from './action-item-view.js';
import { resolveOwner } from './resolve-owner.js';
import { ListActionItemsInput } from './schemas.js';

/**
 * Action items, soonest due first. A team's items are those its members own and those on the
 * services it owns. `overdue` = open and past due at the clock's now.
 */
export async function listActionItems({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ActionItemView[]> {
  authorize(ctx.actor, 'read');
  const data = parseInput(ListActionItemsInput, input);
  const db = ctx.store.db;
  const now = ctx.clock.now();
  let q = db.selectFrom('action_items').selectAll();
  if (data.incident) q = q.where('incident_id', '=', (await findIncidentRow(db, data.incident)).id);
  if (data.postmortemId) q = q.where('postmortem_id', '=', data.postmortemId);
  if (data.owner) q = q.where('owner_id', '=', (await resolveOwner(db, data.owner)).id);
  if (data.service) q = q.where('service_id', '=', (await findService(db, data.service)).id);
  if (data.team) {
    const team = await findTeam(db, data.team);
    q = q.where((eb) => eb.or([
      eb('owner_id', 'in', eb.selectFrom('team_members').select('user_id').where('team_id', '=', team.id)),
      eb('service_id', 'in', eb.selectFrom('services').select('id').where('team_id', '=', team.id)),
    ]));
  }
  if (data.overdue) q = q.where('status', '=', 'open').where('due_at', '<=', now);
  else if (data.status) q = q.where('status', '=', data.status);
  const rows = await q.orderBy('due_at').orderBy('id').limit(data.limit).execute();
  return toActionItemViews(db, rows, now);
}

/**
 * Open items from earlier incidents on this incident's service: what a responder opening a new
 * incident should know was promised and not yet done.
 */
export async function openItemsOnService(ctx: Ctx, incident: { id: string; service_id: string | null }): Promise<ActionItemView[]> {
  if (!incident.service_id) return [];
  const rows = await ctx.store.db
    .selectFrom('action_items')
    .selectAll()
    .where('service_id', '=', incident.service_id)
    .where('status', '=', 'open')
    .where('incident_id', '!=', incident.id)
    .orderBy('due_at')
    .limit(50)
    .execute();
  return toActionItemViews(ctx.store.db, rows, ctx.clock.now());
}
