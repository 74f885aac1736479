import type { Actor } from '../../core/actor.js';
import { can } from '../access/authorize.js';
import type { Db, Tx } from '../../store/index.js';
import type { UserTable } from '../../store/schema.js';
import { iso } from '../incidents/incident-view.js';

/** What an admin (or the user themself) sees. The password hash never leaves the store. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: string;
  timeZone: string;
  disabled: boolean;
  hasPassword: boolean;
  managedBy: string | null;
  teams: { slug: string; name: string; role: string }[];
  createdAt: string;
  updatedAt: string;
}

/** The one-user answers (GET and PATCH /users/:id) of the full view: also where the user is paged. */
export interface UserDetailView extends UserView {
  /**
   * Where the user is named for paging (policies, schedules, overrides, teams). A disabled user
   * stays there but is skipped.
   */
  pagedVia: string[];
}

/** What everyone else sees: enough to pick someone for a role. */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
}

/** The user an actor acts as: the signed-in user, or the owner of the API key. */
export function actorUserId(actor: Actor): string | null {
  if (actor.type === 'user') return actor.id;
  if (actor.type === 'apiKey') return actor.userId;
  return null;
}

export function seesFullUser(actor: Actor, userId: string): boolean {
  return can(actor, 'admin') || actorUserId(actor) === userId;
}

export async function toUserViews(db: Db | Tx, rows: UserTable[]): Promise<UserView[]> {
  if (rows.length === 0) return [];
  const memberships = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['team_members.user_id', 'team_members.role', 'teams.slug', 'teams.name'])
    .where('team_members.user_id', 'in', rows.map((r) => r.id))
    .orderBy('teams.slug')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    timeZone: r.time_zone,
    disabled: r.disabled === 1,
    hasPassword: r.password_hash !== null,
    managedBy: r.managed_by,
    teams: memberships.filter((m) => m.user_id === r.id).map((m) => ({ slug: m.slug, name: m.name, role: m.role })),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
}

export function toUserSummary(row: Pick<UserTable, 'id' | 'email' | 'name'>): UserSummary {
  return { id: row.id, email: row.email, name: row.name };
}

/** Ends every browser session of a user, so a new role, a disable or a new password applies at once. */
export async function endUserSessions(tx: Tx, userId: string): Promise<number> {
  const result = await tx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
