import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findPageRow } from './find-page.js';
import { toPageView, type StatusPageView } from './page-view.js';

export async function listStatusPages({ ctx }: { ctx: Ctx }): Promise<StatusPageView[]> {
  authorize(ctx.actor, 'read');
  const rows = await ctx.store.db.selectFrom('status_pages').selectAll().orderBy('slug').execute();
  return Promise.all(rows.map((r) => toPageView(ctx.store.db, r)));
}

export async function getStatusPage({ ctx, input }: { ctx: Ctx; input: { page: string } }): Promise<StatusPageView> {
  authorize(ctx.actor, 'read');
  return toPageView(ctx.store.db, await findPageRow(ctx.store.db, input.page));
}
