import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { transactionRetryingUniqueRaces } from '../../store/index.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { asFieldError } from '../incidents/declare-incident.js';
import { findTeam, findUser } from '../lookups.js';
import { TeamRoleInput } from '../names.js';
import { toTeamViews, type TeamView } from './team-view.js';

const SetTeamMemberInput = z.object({ team: z.string().min(1), user: z.string().min(1), role: TeamRoleInput.default('responder') });

/** Adds a member or changes their team role; setting the role they already have changes nothing. */
export async function setTeamMember({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<TeamView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(SetTeamMemberInput, input);
  // Two admins adding the same member at once: the later one finds it there, as on SQLite.
  return transactionRetryingUniqueRaces(ctx.store, async (tx) => {
    const team = await findTeam(tx, data.team);
    const user = await findUser(tx, data.user).catch(asFieldError('user'));
    const existing = await tx.selectFrom('team_members').select('role').where('team_id', '=', team.id).where('user_id', '=', user.id).executeTakeFirst();
    if (existing?.role !== data.role) {
      assertNotManaged(team, `team ${team.slug}`);
      if (existing) {
        await tx.updateTable('team_members').set({ role: data.role }).where('team_id', '=', team.id).where('user_id', '=', user.id).execute();
      } else {
        await tx.insertInto('team_members').values({ team_id: team.id, user_id: user.id, role: data.role, created_at: ctx.clock.now() }).execute();
      }
      await recordAudit(ctx, tx, { action: 'team.member_set', target: team.id, data: { team: team.slug, user: user.email, role: data.role, from: existing?.role ?? null } });
    }
    return (await toTeamViews(tx, [team]))[0]!;
  });
}
