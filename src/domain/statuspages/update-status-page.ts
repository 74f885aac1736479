import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { checkAutoPublish } from './auto-publish.js';
import { findPageRow } from './find-page.js';
import { toPageView, type StatusPageView } from './page-view.js';
import { UpdatePageInput } from './schemas.js';

/** Changes a page's name, host name, severity mapping or auto-publish settings (what is given). */
export async function updateStatusPage({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<StatusPageView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(UpdatePageInput, input);
  if (data.autoPublish) checkAutoPublish(data.autoPublish);
  const taken = () => conflict(`host name ${data.hostName} is already used by another status page`);
  try {
    return await ctx.store.transaction(async (tx) => {
      const page = await findPageRow(tx, data.page);
      if (page.managed_by) throw conflict(`status page ${page.slug} is declared in firebreak.yaml: change it there`);
      if (data.hostName && (await tx.selectFrom('status_pages').select('id').where('host_name', '=', data.hostName).where('id', '!=', page.id).executeTakeFirst())) throw taken();
      const now = ctx.clock.now();
      const next = {
        ...page,
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.hostName !== undefined ? { host_name: data.hostName } : {}),
        ...(data.severityMap !== undefined ? { severity_map: JSON.stringify(data.severityMap) } : {}),
        ...(data.autoPublish !== undefined ? { auto_publish: JSON.stringify(data.autoPublish) } : {}),
        updated_at: now,
      };
      await tx.updateTable('status_pages').set({ name: next.name, host_name: next.host_name, severity_map: next.severity_map, auto_publish: next.auto_publish, updated_at: now }).where('id', '=', page.id).execute();
      await recordAudit(ctx, tx, { action: 'statuspage.update', target: page.id, data: { slug: page.slug, changed: Object.keys(data).filter((k) => k !== 'page') } });
      return toPageView(tx, next);
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw taken();
    throw e;
  }
}
