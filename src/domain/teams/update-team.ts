import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { findTeam } from '../lookups.js';
import { DisplayName, Slug } from '../names.js';
import { toTeamViews, type TeamView } from './team-view.js';

const UpdateTeamInput = z.object({ team: z.string().min(1), slug: Slug.optional(), name: DisplayName.optional() });

export async function updateTeam({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<TeamView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(UpdateTeamInput, input);
  try {
    return await ctx.store.transaction(async (tx) => {
      const row = await findTeam(tx, data.team);
      const changes: Record<string, { from: string; to: string }> = {};
      if (data.slug !== undefined && data.slug !== row.slug) changes.slug = { from: row.slug, to: data.slug };
      if (data.name !== undefined && data.name !== row.name) changes.name = { from: row.name, to: data.name };
      if (Object.keys(changes).length === 0) return (await toTeamViews(tx, [row]))[0]!;
      assertNotManaged(row, `team ${row.slug}`);
      const updated = { ...row, slug: data.slug ?? row.slug, name: data.name ?? row.name, updated_at: ctx.clock.now() };
      await tx.updateTable('teams').set({ slug: updated.slug, name: updated.name, updated_at: updated.updated_at }).where('id', '=', row.id).execute();
      await recordAudit(ctx, tx, { action: 'team.update', target: row.id, data: { slug: updated.slug, changes } });
      return (await toTeamViews(tx, [updated]))[0]!;
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw conflict(`a team with slug ${data.slug} already exists`);
    throw e;
  }
}
