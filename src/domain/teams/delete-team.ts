import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { findTeam } from '../lookups.js';

/** Memberships go with the team; services it owned keep running without an owner. */
export async function deleteTeam({ ctx, input }: { ctx: Ctx; input: { team: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const row = await findTeam(tx, input.team);
    assertNotManaged(row, `team ${row.slug}`);
    const services = await tx.selectFrom('services').select('slug').where('team_id', '=', row.id).execute();
    await tx.deleteFrom('team_members').where('team_id', '=', row.id).execute();
    await tx.updateTable('services').set({ team_id: null }).where('team_id', '=', row.id).execute();
    await tx.deleteFrom('teams').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'team.delete', target: row.id, data: { slug: row.slug, name: row.name, servicesOrphaned: services.map((s) => s.slug) } });
  });
}
