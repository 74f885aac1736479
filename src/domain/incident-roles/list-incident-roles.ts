import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { toIncidentRoleView, type IncidentRoleView } from './role-definition.js';

/** The catalogue, in its order (position, then key). */
export async function listIncidentRoles({ ctx }: { ctx: Ctx }): Promise<IncidentRoleView[]> {
  authorize(ctx.actor, 'read');
  const rows = await ctx.store.db.selectFrom('incident_role_definitions').selectAll().orderBy('position').orderBy('key').execute();
  return rows.map(toIncidentRoleView);
}
