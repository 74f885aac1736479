import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findService } from '../lookups.js';
import { loadServiceLinks, type ServiceLinks } from './service-detail.js';
import { toServiceViews, type ServiceView } from './service-view.js';

/** By id (`svc_…`) or slug, with what it is wired to (runbooks, integrations, open incidents). */
export async function getService({ ctx, input }: { ctx: Ctx; input: { service: string } }): Promise<ServiceView & ServiceLinks> {
  authorize(ctx.actor, 'read');
  const row = await findService(ctx.store.db, input.service);
  const [view, links] = await Promise.all([toServiceViews(ctx.store.db, [row]), loadServiceLinks(ctx.store.db, row)]);
  return { ...view[0]!, ...links };
}
