import { notFound } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { ActionItemTable } from '../../store/schema.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';
import type { ActionPriority, ActionStatus } from './schemas.js';

export interface ActionItemView {
  id: string;
  title: string;
  incident: { id: string; number: number; title: string; status: string };
  postmortemId: string | null;
  owner: { id: string; name: string; email: string };
  service: { id: string; slug: string; name: string } | null;
  dueAt: string;
  priority: ActionPriority;
  status: ActionStatus;
  reason: string | null;
  externalUrl: string | null;
  /** Open and past its due time, at the clock's now. */
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
}

/** Views for rows, with names instead of raw ids, in three queries for the batch. */
export async function toActionItemViews(db: Db | Tx, rows: ActionItemTable[], now: number): Promise<ActionItemView[]> {
  if (rows.length === 0) return [];
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))];
  const [incidents, users, services] = await Promise.all([
    db.selectFrom('incidents').select(['id', 'number', 'title', 'status']).where('id', 'in', uniq(rows.map((r) => r.incident_id))).execute(),
    db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', uniq(rows.map((r) => r.owner_id))).execute(),
    uniq(rows.map((r) => r.service_id)).length ? db.selectFrom('services').select(['id', 'slug', 'name']).where('id', 'in', uniq(rows.map((r) => r.service_id))).execute() : [],
  ]);
  const incidentById = new Map(incidents.map((i) => [i.id, i]));
  const userById = new Map(users.map((u) => [u.id, u]));
  const serviceById = new Map(services.map((s) => [s.id, s]));
  return rows.map((r) => {
    const incident = incidentById.get(r.incident_id);
    const owner = userById.get(r.owner_id);
    const dueAt = Number(r.due_at);
    return {
      id: r.id,
      title: r.title,
      incident: { id: r.incident_id, number: Number(incident?.number ?? 0), title: incident?.title ?? '', status: incident?.status ?? '' },
      postmortemId: r.postmortem_id,
      owner: { id: r.owner_id, name: owner?.name ?? r.owner_id, email: owner?.email ?? '' },
      service: r.service_id ? (serviceById.get(r.service_id) ?? null) : null,
      dueAt: iso(dueAt),
      priority: r.priority as ActionPriority,
      status: r.status as ActionStatus,
      reason: r.reason,
      externalUrl: r.external_url,
      overdue: r.status === 'open' && dueAt <= now,
      createdAt: iso(Number(r.created_at)),
      updatedAt: iso(Number(r.updated_at)),
      closedAt: isoOrNull(r.closed_at === null ? null : Number(r.closed_at)),
      closedBy: r.closed_by,
    };
  });
}

export async function findActionItem(db: Db | Tx, id: string): Promise<ActionItemTable> {
  const row = await db.selectFrom('action_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('action item', id);
  return row;
}
