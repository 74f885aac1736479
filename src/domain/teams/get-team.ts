import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findTeam } from '../lookups.js';
import { toTeamViews, type TeamView } from './team-view.js';

/** By id (`team_…`) or slug. */
export async function getTeam({ ctx, input }: { ctx: Ctx; input: { team: string } }): Promise<TeamView> {
  authorize(ctx.actor, 'read');
  return (await toTeamViews(ctx.store.db, [await findTeam(ctx.store.db, input.team)]))[0]!;
}
