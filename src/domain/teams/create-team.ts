import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { DisplayName, Slug } from '../names.js';
import { toTeamViews, type TeamView } from './team-view.js';

const CreateTeamInput = z.object({ slug: Slug, name: DisplayName });

export async function createTeam({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<TeamView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(CreateTeamInput, input);
  const now = ctx.clock.now();
  const row = { id: newId('team', now), slug: data.slug, name: data.name, managed_by: null, created_at: now, updated_at: now };
  try {
    return await ctx.store.transaction(async (tx) => {
      if (await tx.selectFrom('teams').select('id').where('slug', '=', data.slug).executeTakeFirst()) throw conflict(`a team with slug ${data.slug} already exists`);
      await tx.insertInto('teams').values(row).execute();
      await recordAudit(ctx, tx, { action: 'team.create', target: row.id, data: { slug: data.slug, name: data.name } });
      return (await toTeamViews(tx, [row]))[0]!;
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw conflict(`a team with slug ${data.slug} already exists`);
    throw e;
  }
}
