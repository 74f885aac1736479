import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findGroupRow, toGroupViews, toRuleViews, type AudienceGroupView, type AudienceRuleView } from './group-view.js';

export async function listAudienceGroups({ ctx }: { ctx: Ctx }): Promise<AudienceGroupView[]> {
  authorize(ctx.actor, 'read');
  return toGroupViews(ctx.store.db, await ctx.store.db.selectFrom('audience_groups').selectAll().orderBy('slug').execute());
}

export async function getAudienceGroup({ ctx, input }: { ctx: Ctx; input: { group: string } }): Promise<AudienceGroupView> {
  authorize(ctx.actor, 'read');
  const [view] = await toGroupViews(ctx.store.db, [await findGroupRow(ctx.store.db, input.group)]);
  return view!;
}

export async function listAudienceRules({ ctx }: { ctx: Ctx }): Promise<AudienceRuleView[]> {
  authorize(ctx.actor, 'read');
  return toRuleViews(ctx.store.db, await ctx.store.db.selectFrom('audience_rules').selectAll().orderBy('created_at').orderBy('id').execute());
}
