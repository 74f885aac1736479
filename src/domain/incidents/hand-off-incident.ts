import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findUser } from '../lookups.js';
import { setRole } from './assign-incident-role.js';
import { asFieldError } from './declare-incident.js';
import { findIncidentRow, toIncidentView, type IncidentView } from './incident-view.js';
import { HandOffInput } from './schemas.js';
import { appendTimeline } from './timeline.js';

/**
 * Passes a role to the next person with a structured note, so whoever picks it up at 3 a.m.
 * reads where things stand, what was tried and what to do next in one place.
 */
export async function handOffIncident({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(HandOffInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIncidentRow(tx, data.incident);
    const to = await findUser(tx, data.to).catch(asFieldError('to'));
    const previous = await tx
      .selectFrom('incident_roles')
      .innerJoin('users', 'users.id', 'incident_roles.user_id')
      .select(['users.id', 'users.name'])
      .where('incident_roles.incident_id', '=', row.id)
      .where('incident_roles.role', '=', data.role)
      .executeTakeFirst();
    await setRole(ctx, tx, row.id, data.role, to.id);
    const body = [
      `**${data.role}** handed off ${previous ? `from ${previous.name} ` : ''}to **${to.name}**`,
      `### State\n${data.state}`,
      data.actionsTaken ? `### Actions taken\n${data.actionsTaken}` : '',
      `### Next steps\n${data.nextSteps}`,
    ].filter(Boolean).join('\n\n');
    await appendTimeline(ctx, tx, row.id, 'handoff', body, {
      role: data.role,
      fromUserId: previous?.id ?? null,
      toUserId: to.id,
      state: data.state,
      actionsTaken: data.actionsTaken,
      nextSteps: data.nextSteps,
    });
    return toIncidentView(tx, await findIncidentRow(tx, row.id));
  });
}
