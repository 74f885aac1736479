import type { Db, Tx } from '../../store/index.js';
import type { ServiceTable } from '../../store/schema.js';
import { iso } from '../incidents/incident-view.js';

export interface ServiceView {
  id: string;
  slug: string;
  name: string;
  description: string;
  team: { id: string; slug: string; name: string } | null;
  managedBy: string | null;
  /** The service's own escalation policy; null = the severity's default pages. */
  escalationPolicy: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

export async function toServiceViews(db: Db | Tx, rows: ServiceTable[]): Promise<ServiceView[]> {
  const teamIds = [...new Set(rows.map((r) => r.team_id).filter((t): t is string => t !== null))];
  const teams = teamIds.length ? await db.selectFrom('teams').select(['id', 'slug', 'name']).where('id', 'in', teamIds).execute() : [];
  const byId = new Map(teams.map((t) => [t.id, t]));
  const policyIds = [...new Set(rows.map((r) => r.escalation_policy_id).filter((p): p is string => p !== null))];
  const policies = new Map(
    (policyIds.length ? await db.selectFrom('escalation_policies').select(['id', 'name']).where('id', 'in', policyIds).execute() : []).map((p) => [p.id, p]),
  );
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    team: r.team_id ? (byId.get(r.team_id) ?? null) : null,
    managedBy: r.managed_by,
    escalationPolicy: r.escalation_policy_id ? (policies.get(r.escalation_policy_id) ?? null) : null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
}
