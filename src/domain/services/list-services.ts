import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { toServiceViews, type ServiceView } from './service-view.js';

export async function listServices({ ctx }: { ctx: Ctx }): Promise<ServiceView[]> {
  authorize(ctx.actor, 'read');
  return toServiceViews(ctx.store.db, await ctx.store.db.selectFrom('services').selectAll().orderBy('slug').execute());
}
