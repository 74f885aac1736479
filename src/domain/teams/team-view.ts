import type { Db, Tx } from '../../store/index.js';
import type { TeamTable } from '../../store/schema.js';
import { iso } from '../incidents/incident-view.js';

export interface TeamView {
  id: string;
  slug: string;
  name: string;
  managedBy: string | null;
  members: { userId: string; email: string; name: string; role: string }[];
  createdAt: string;
  updatedAt: string;
}

export async function toTeamViews(db: Db | Tx, rows: TeamTable[]): Promise<TeamView[]> {
  if (rows.length === 0) return [];
  const members = await db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['team_members.team_id', 'team_members.role', 'users.id', 'users.email', 'users.name'])
    .where('team_members.team_id', 'in', rows.map((r) => r.id))
    .orderBy('users.email')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    managedBy: r.managed_by,
    members: members.filter((m) => m.team_id === r.id).map((m) => ({ userId: m.id, email: m.email, name: m.name, role: m.role })),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
}
