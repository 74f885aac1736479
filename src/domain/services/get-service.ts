import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findService } from '../lookups.js';
import { toServiceViews, type ServiceView } from './service-view.js';

/** By id (`svc_…`) or slug. */
export async function getService({ ctx, input }: { ctx: Ctx; input: { service: string } }): Promise<ServiceView> {
  authorize(ctx.actor, 'read');
  return (await toServiceViews(ctx.store.db, [await findService(ctx.store.db, input.service)]))[0]!;
}
