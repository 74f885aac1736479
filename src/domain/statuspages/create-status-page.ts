import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { toPageView, type StatusPageView } from './page-view.js';
import { checkAutoPublish } from './auto-publish.js';
import { CreatePageInput } from './schemas.js';

export async function createStatusPage({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<StatusPageView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(CreatePageInput, input);
  checkAutoPublish(data.autoPublish);
  const taken = () => conflict(`a status page with slug ${data.slug}${data.hostName ? ` or host name ${data.hostName}` : ''} already exists`);
  try {
    return await ctx.store.transaction(async (tx) => {
      const clash = await tx.selectFrom('status_pages').select('id')
        .where((eb) => eb.or([eb('slug', '=', data.slug), ...(data.hostName ? [eb('host_name', '=', data.hostName)] : [])])).executeTakeFirst();
      if (clash) throw taken();
      const now = ctx.clock.now();
      const row = { id: newId('sp', now), slug: data.slug, name: data.name, host_name: data.hostName, severity_map: JSON.stringify(data.severityMap), auto_publish: JSON.stringify(data.autoPublish), managed_by: null, created_at: now, updated_at: now };
      await tx.insertInto('status_pages').values(row).execute();
      await recordAudit(ctx, tx, { action: 'statuspage.create', target: row.id, data: { slug: row.slug, name: row.name, hostName: row.host_name } });
      return toPageView(tx, row);
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw taken();
    throw e;
  }
}
