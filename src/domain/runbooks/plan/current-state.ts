import type { Db, Tx } from '../../../store/index.js';
import type { EscalationLevel, UnresolvedEscalation } from '../../escalation/index.js';
import type { PlannedObject, PlannedSeverity } from './types.js';

/**
 * What the database holds, in the shapes the plan uses (firebreak.yaml's), so the two compare
 * field by field. Targets are written back as `user:EMAIL`, `team:SLUG`, `schedule:NAME`.
 */

type Config<K extends PlannedObject['kind']> = Extract<PlannedObject, { kind: K }>['config'];

export interface CurrentSeverity extends Required<Pick<PlannedSeverity, 'key' | 'name' | 'description' | 'examples' | 'businessHours'>> {
  ackTarget?: number;
  resolveTarget?: number;
  updateCadence?: number;
  escalationPolicy?: string;
  postmortemRequired: boolean;
  postmortemDue?: number;
  communicationTasks: { title: string; audience?: 'responders' | 'internal' | 'public'; within: number }[];
}

export interface Managed<T> {
  config: T;
  managedBy: string | null;
}

export interface CurrentState {
  severities: CurrentSeverity[];
  severitiesManagedBy: string | null;
  policies: Map<string, Managed<Config<'escalation-policy'>>>;
  checklists: Map<string, Managed<Config<'checklist'>>>;
  updateTemplates: Map<string, Managed<Config<'update-template'>>>;
  postmortemTemplates: Map<string, Managed<Config<'postmortem-template'>>>;
  incidentRoles: Map<string, Managed<Config<'incident-role'>>>;
  /** Ids of the targets a policy may name, both ways. */
  targetNames: Map<string, string>;
}

const n = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

export async function readCurrentState(db: Db | Tx): Promise<CurrentState> {
  const [severities, policies, checklists, updates, postmortems, users, teams, schedules, roles] = await Promise.all([
    db.selectFrom('severities').selectAll().orderBy('rank').execute(),
    db.selectFrom('escalation_policies').selectAll().execute(),
    db.selectFrom('checklist_templates').selectAll().execute(),
    db.selectFrom('update_templates').selectAll().execute(),
    db.selectFrom('postmortem_templates').selectAll().execute(),
    db.selectFrom('users').select(['id', 'email']).execute(),
    db.selectFrom('teams').select(['id', 'slug']).execute(),
    db.selectFrom('schedules').select(['id', 'name']).execute(),
    db.selectFrom('incident_role_definitions').selectAll().execute(),
  ]);
  const targetNames = new Map<string, string>([
    ...users.map((u) => [`user:${u.id}`, `user:${u.email}`] as const),
    ...teams.map((t) => [`team:${t.id}`, `team:${t.slug}`] as const),
    ...schedules.map((s) => [`schedule:${s.id}`, `schedule:${s.name}`] as const),
  ]);
  const policyNames = new Map(policies.map((p) => [p.id, p.name]));
  const name = (t: { type: string; id: string }) => targetNames.get(`${t.type}:${t.id}`) ?? `${t.type}:${t.id}`;
  return {
    severities: severities.map((r) => ({
      key: r.key, name: r.name, description: r.description, examples: JSON.parse(r.examples) as string[],
      ...(r.ack_target_seconds !== null ? { ackTarget: Number(r.ack_target_seconds) } : {}),
      ...(r.resolve_target_seconds !== null ? { resolveTarget: Number(r.resolve_target_seconds) } : {}),
      ...(r.update_cadence_seconds !== null ? { updateCadence: Number(r.update_cadence_seconds) } : {}),
      ...(r.escalation_policy_id && policyNames.has(r.escalation_policy_id) ? { escalationPolicy: policyNames.get(r.escalation_policy_id)! } : {}),
      businessHours: Number(r.business_hours ?? 0) === 1,
      postmortemRequired: Number(r.postmortem_required ?? 0) === 1,
      ...(n(r.postmortem_due_seconds) !== undefined ? { postmortemDue: n(r.postmortem_due_seconds)! } : {}),
      communicationTasks: (JSON.parse(r.comm_tasks ?? '[]') as { title: string; audience?: 'responders' | 'internal' | 'public'; withinSeconds: number }[])
        .map((t) => ({ title: t.title, ...(t.audience ? { audience: t.audience } : {}), within: t.withinSeconds })),
    })),
    severitiesManagedBy: severities.find((r) => r.managed_by !== null)?.managed_by ?? null,
    policies: new Map(policies.map((p) => {
      const levels = JSON.parse(p.levels) as EscalationLevel[];
      const unresolved = p.if_unresolved ? (JSON.parse(p.if_unresolved) as UnresolvedEscalation[]) : [];
      return [p.name, {
        managedBy: p.managed_by ?? null,
        config: {
          name: p.name,
          levels: levels.map((l) => ({ after: l.delaySeconds, targets: l.targets.map(name), ...(l.condition?.severities ? { severities: l.condition.severities } : {}) })),
          ifUnresolved: unresolved.map((u) => ({ after: u.afterSeconds, targets: u.targets.map(name) })),
          repeat: p.repeat,
        },
      }];
    })),
    checklists: new Map(checklists.map((c) => [c.slug, {
      managedBy: c.managed_by,
      config: { slug: c.slug, name: c.name, severities: JSON.parse(c.severities) as string[], items: JSON.parse(c.items) as string[], trigger: (c.trigger ?? 'on_open') as 'on_open' | 'on_resolve', groups: JSON.parse(c.groups ?? '[]') },
    }])),
    updateTemplates: new Map(updates.map((t) => [`${t.kind}/${t.audience || 'any'}`, {
      managedBy: t.managed_by,
      config: { kind: t.kind as Config<'update-template'>['kind'], ...(t.audience ? { audience: t.audience as 'internal' } : {}), body: t.body },
    }])),
    postmortemTemplates: new Map(postmortems.map((t) => [t.slug, { managedBy: t.managed_by, config: { slug: t.slug, name: t.name, body: t.body } }])),
    incidentRoles: new Map(roles.map((r) => [r.key, {
      managedBy: r.managed_by,
      config: { key: r.key, name: r.name, ...(r.description !== null ? { description: r.description } : {}), position: Number(r.position) },
    }])),
    targetNames,
  };
}
