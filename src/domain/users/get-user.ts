import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findUser } from '../lookups.js';
import { userReferences } from './user-references.js';
import { seesFullUser, toUserSummary, toUserViews, type UserDetailView, type UserSummary } from './user-view.js';

/** By id or email. Admins and the user themself get the full view; others the summary. */
export async function getUser({ ctx, input }: { ctx: Ctx; input: { user: string } }): Promise<UserDetailView | UserSummary> {
  authorize(ctx.actor, 'read');
  const row = await findUser(ctx.store.db, input.user);
  if (!seesFullUser(ctx.actor, row.id)) return toUserSummary(row);
  return { ...(await toUserViews(ctx.store.db, [row]))[0]!, pagedVia: await userReferences(ctx.store.db, row.id, ctx.clock.now()) };
}
