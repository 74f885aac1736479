import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { findService } from '../lookups.js';

/** Incidents of a deleted service keep their history; their service link becomes empty. */
export async function deleteService({ ctx, input }: { ctx: Ctx; input: { service: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const row = await findService(tx, input.service);
    assertNotManaged(row, `service ${row.slug}`);
    await tx.updateTable('incidents').set({ service_id: null }).where('service_id', '=', row.id).execute();
    await tx.deleteFrom('services').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'service.delete', target: row.id, data: { slug: row.slug, name: row.name } });
  });
}
