import { conflict } from '../../core/errors.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { findService } from '../lookups.js';
import { loadServiceLinks } from './service-detail.js';

/**
 * Resolved incidents of a deleted service keep their history; their service link becomes empty,
 * and so does that of its integrations (their alerts then open incidents without a service).
 * Refused while incidents on it are still open (responders are working on them) or while a
 * routing rule sends alerts to it (those alerts would silently lose their service).
 */
export async function deleteService({ ctx, input }: { ctx: Ctx; input: { service: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const row = await findService(tx, input.service);
    assertNotManaged(row, `service ${row.slug}`);
    const links = await loadServiceLinks(tx, row);
    if (links.openIncidentCount > 0) {
      const shown = links.openIncidents.slice(0, 10).map((i) => `#${i.number}`).join(', ');
      throw conflict(`cannot delete service ${row.slug}: ${links.openIncidentCount} open incident${links.openIncidentCount === 1 ? '' : 's'} (${shown}${links.openIncidentCount > 10 ? ' …' : ''}) ${links.openIncidentCount === 1 ? 'is' : 'are'} on it; resolve them or move them to another service first`);
    }
    if (links.routingRules.length > 0) {
      throw conflict(`cannot delete service ${row.slug}: routing rule${links.routingRules.length === 1 ? '' : 's'} ${links.routingRules.map((r) => `"${r.name}"`).join(', ')} send${links.routingRules.length === 1 ? 's' : ''} alerts to it; change or delete ${links.routingRules.length === 1 ? 'it' : 'them'} first`);
    }
    await tx.updateTable('incidents').set({ service_id: null }).where('service_id', '=', row.id).execute();
    await tx.updateTable('integrations').set({ service_id: null }).where('service_id', '=', row.id).execute();
    await tx.deleteFrom('services').where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'service.delete', target: row.id, data: { slug: row.slug, name: row.name, integrationsDetached: links.integrations.map((i) => i.name) } });
  });
}
