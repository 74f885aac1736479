import type { Tx } from '../../store/index.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findUser } from '../lookups.js';
import { asFieldError } from './declare-incident.js';
import { findIncidentRow, toIncidentView, type IncidentView } from './incident-view.js';
import { AssignRoleInput } from './schemas.js';
import { appendTimeline } from './timeline.js';

/** Gives a role (commander, communications, scribe or a custom one) to a user, or clears it. */
export async function assignIncidentRole({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(AssignRoleInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIncidentRow(tx, data.incident);
    if (data.user === null) {
      const removed = await tx.deleteFrom('incident_roles').where('incident_id', '=', row.id).where('role', '=', data.role).executeTakeFirst();
      if (Number(removed.numDeletedRows) > 0) await appendTimeline(ctx, tx, row.id, 'role_unassigned', `Role **${data.role}** cleared`, { role: data.role });
    } else {
      const user = await findUser(tx, data.user).catch(asFieldError('user'));
      await setRole(ctx, tx, row.id, data.role, user.id);
      await appendTimeline(ctx, tx, row.id, 'role_assigned', `**${user.name}** is now ${data.role}`, { role: data.role, userId: user.id });
    }
    return toIncidentView(tx, await findIncidentRow(tx, row.id));
  });
}

/**
 * One statement, `INSERT … ON CONFLICT DO UPDATE` (both databases have it): concurrent
 * assignments of the same role take turns on the row instead of racing to insert it.
 */
export async function setRole(ctx: Ctx, tx: Tx, incidentId: string, role: string, userId: string): Promise<void> {
  const assignedAt = ctx.clock.now();
  await tx.insertInto('incident_roles').values({ incident_id: incidentId, role, user_id: userId, assigned_at: assignedAt })
    .onConflict((oc) => oc.columns(['incident_id', 'role']).doUpdateSet({ user_id: userId, assigned_at: assignedAt }))
    .execute();
}
