import { notFound } from '../../core/errors.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { findTeam, findUser } from '../lookups.js';
import { toTeamViews, type TeamView } from './team-view.js';

export async function removeTeamMember({ ctx, input }: { ctx: Ctx; input: { team: string; user: string } }): Promise<TeamView> {
  authorize(ctx.actor, 'admin');
  return ctx.store.transaction(async (tx) => {
    const team = await findTeam(tx, input.team);
    const user = await findUser(tx, input.user);
    assertNotManaged(team, `team ${team.slug}`);
    const removed = await tx.deleteFrom('team_members').where('team_id', '=', team.id).where('user_id', '=', user.id).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw notFound('team member', `${user.email} in ${team.slug}`);
    await recordAudit(ctx, tx, { action: 'team.member_remove', target: team.id, data: { team: team.slug, user: user.email } });
    return (await toTeamViews(tx, [team]))[0]!;
  });
}
