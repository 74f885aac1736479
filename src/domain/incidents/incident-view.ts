import { notFound, validation } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { IncidentTable } from '../../store/schema.js';
import type { IncidentStatus } from './status.js';

export interface IncidentView {
  id: string;
  number: number;
  title: string;
  summary: string;
  severity: string;
  status: IncidentStatus;
  service: { id: string; slug: string; name: string } | null;
  isDrill: boolean;
  createdBy: string | null;
  detectedAt: string;
  declaredAt: string;
  acknowledgedAt: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  /** Closed after resolution (the post-mortem gate passed); null while not (domain/postmortems). */
  closedAt: string | null;
  updatedAt: string;
  version: number;
  roles: { role: string; userId: string; userName: string; assignedAt: string }[];
  /** Whom the incident was last re-assigned to by hand (paged at once); null if never. */
  assignee: { id: string; name: string } | null;
}

export interface TaskView {
  id: string;
  title: string;
  position: number;
  source: string | null;
  done: boolean;
  doneBy: string | null;
  doneAt: string | null;
  dueAt?: string;
  group?: string;
}

export interface TimelineEventView {
  id: string;
  incidentId: string;
  at: string;
  kind: string;
  actor: { type: string; id: string | null; name: string };
  body: string;
  data: Record<string, unknown>;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** Accepts `inc_…`, `42` or `#42`: what a responder types. */
export async function findIncidentRow(db: Db | Tx, ref: string): Promise<IncidentTable> {
  const trimmed = ref.trim();
  const byNumber = /^#?\d{1,12}$/.test(trimmed);
  if (!byNumber && !trimmed.startsWith('inc_')) throw validation('incident', `'${ref}' is neither an incident id (inc_…) nor a number (#42)`);
  const row = await db
    .selectFrom('incidents')
    .selectAll()
    .where(byNumber ? 'number' : 'id', '=', byNumber ? Number(trimmed.replace('#', '')) : trimmed)
    .executeTakeFirst();
  if (!row) throw notFound('incident', ref);
  return row;
}

export async function toIncidentViews(db: Db | Tx, rows: IncidentTable[]): Promise<IncidentView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const serviceIds = [...new Set(rows.map((r) => r.service_id).filter((s): s is string => s !== null))];
  const [services, roles] = await Promise.all([
    serviceIds.length ? db.selectFrom('services').select(['id', 'slug', 'name']).where('id', 'in', serviceIds).execute() : [],
    db
      .selectFrom('incident_roles')
      .innerJoin('users', 'users.id', 'incident_roles.user_id')
      .select(['incident_roles.incident_id', 'incident_roles.role', 'incident_roles.user_id', 'incident_roles.assigned_at', 'users.name'])
      .where('incident_roles.incident_id', 'in', ids)
      .orderBy('incident_roles.role')
      .execute(),
  ]);
  const serviceById = new Map(services.map((s) => [s.id, s]));
  const assigneeIds = [...new Set(rows.map((r) => r.assignee_id).filter((a): a is string => a !== null))];
  const assignees = new Map(
    (assigneeIds.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', assigneeIds).execute() : []).map((u) => [u.id, u]),
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    summary: r.summary,
    severity: r.severity,
    status: r.status as IncidentStatus,
    service: r.service_id ? (serviceById.get(r.service_id) ?? null) : null,
    isDrill: r.is_drill === 1,
    createdBy: r.created_by,
    detectedAt: iso(r.detected_at),
    declaredAt: iso(r.declared_at),
    acknowledgedAt: isoOrNull(r.acknowledged_at),
    mitigatedAt: isoOrNull(r.mitigated_at),
    resolvedAt: isoOrNull(r.resolved_at),
    closedAt: r.closed_at == null ? null : iso(Number(r.closed_at)),
    updatedAt: iso(r.updated_at),
    version: r.version,
    roles: roles
      .filter((x) => x.incident_id === r.id)
      .map((x) => ({ role: x.role, userId: x.user_id, userName: x.name, assignedAt: iso(x.assigned_at) })),
    assignee: r.assignee_id ? (assignees.get(r.assignee_id) ?? null) : null,
  }));
}

export async function toIncidentView(db: Db | Tx, row: IncidentTable): Promise<IncidentView> {
  const [view] = await toIncidentViews(db, [row]);
  return view!;
}

export function toTimelineView(r: {
  id: string; incident_id: string; at: number; kind: string; actor_type: string; actor_id: string | null; actor_name: string; body: string; data: string;
}): TimelineEventView {
  return {
    id: r.id,
    incidentId: r.incident_id,
    at: iso(r.at),
    kind: r.kind,
    actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
    body: r.body,
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}

export function toTaskView(r: { id: string; title: string; position: number; source: string | null; done: number; done_by: string | null; done_at: number | null; due_at?: number | null; group_name?: string | null }): TaskView {
  const view: TaskView = { id: r.id, title: r.title, position: r.position, source: r.source, done: r.done === 1, doneBy: r.done_by, doneAt: isoOrNull(r.done_at) };
  // Post-incident checklist tasks (docs/action-items.md) carry a due time and their time window.
  if (r.due_at !== null && r.due_at !== undefined) view.dueAt = iso(Number(r.due_at));
  if (r.group_name) view.group = r.group_name;
  return view;
}
