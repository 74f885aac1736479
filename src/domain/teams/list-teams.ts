import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { toTeamViews, type TeamView } from './team-view.js';

export async function listTeams({ ctx }: { ctx: Ctx }): Promise<TeamView[]> {
  authorize(ctx.actor, 'read');
  return toTeamViews(ctx.store.db, await ctx.store.db.selectFrom('teams').selectAll().orderBy('slug').execute());
}
