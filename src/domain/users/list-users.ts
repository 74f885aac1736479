import { can, authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { toUserSummary, toUserViews, type UserSummary, type UserView } from './user-view.js';

/**
 * Everyone signed in may list people (the UI needs them to assign incident roles), but only
 * admins see roles, state and teams; others get active users' ids, emails and names.
 */
export async function listUsers({ ctx }: { ctx: Ctx }): Promise<UserView[] | UserSummary[]> {
  authorize(ctx.actor, 'read');
  const db = ctx.store.db;
  if (can(ctx.actor, 'admin')) {
    return toUserViews(db, await db.selectFrom('users').selectAll().orderBy('email').execute());
  }
  const rows = await db.selectFrom('users').select(['id', 'email', 'name']).where('disabled', '=', 0).orderBy('email').execute();
  return rows.map(toUserSummary);
}
