import { notFound } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { PostmortemTable } from '../../store/schema.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';
import type { PostmortemStatus } from './schemas.js';

export interface PostmortemView {
  id: string;
  title: string;
  status: PostmortemStatus;
  template: string;
  body: string;
  publicBody: string;
  owner: { id: string; name: string } | null;
  reviewers: { id: string; name: string }[];
  incidents: { id: string; number: number; title: string; severity: string; status: string; resolvedAt: string | null }[];
  dueAt: string | null;
  /** Past its due date and not published. */
  overdue: boolean;
  submittedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export async function findPostmortemRow(db: Db | Tx, id: string): Promise<PostmortemTable> {
  const row = await db.selectFrom('postmortems').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('post-mortem', id);
  return row;
}

/** The post-mortem covering an incident, if any. */
export async function postmortemOfIncident(db: Db | Tx, incidentId: string): Promise<PostmortemTable | undefined> {
  return db
    .selectFrom('postmortems')
    .innerJoin('postmortem_incidents', 'postmortem_incidents.postmortem_id', 'postmortems.id')
    .selectAll('postmortems')
    .where('postmortem_incidents.incident_id', '=', incidentId)
    .executeTakeFirst();
}

export async function toPostmortemViews(db: Db | Tx, rows: PostmortemTable[], now: number): Promise<PostmortemView[]> {
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('postmortem_incidents')
    .innerJoin('incidents', 'incidents.id', 'postmortem_incidents.incident_id')
    .select(['postmortem_incidents.postmortem_id', 'postmortem_incidents.position', 'incidents.id', 'incidents.number', 'incidents.title', 'incidents.severity', 'incidents.status', 'incidents.resolved_at'])
    .where('postmortem_incidents.postmortem_id', 'in', rows.map((r) => r.id))
    .orderBy('postmortem_incidents.position')
    .execute();
  const reviewerIds = rows.flatMap((r) => JSON.parse(r.reviewers) as string[]);
  const userIds = [...new Set([...reviewerIds, ...rows.map((r) => r.owner_id).filter((x): x is string => x !== null)])];
  const users = new Map((userIds.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : []).map((u) => [u.id, u]));
  return rows.map((r) => {
    const due = r.due_at === null ? null : Number(r.due_at);
    return {
      id: r.id,
      title: r.title,
      status: r.status as PostmortemStatus,
      template: r.template,
      body: r.body,
      publicBody: r.public_body,
      owner: r.owner_id ? (users.get(r.owner_id) ?? null) : null,
      reviewers: (JSON.parse(r.reviewers) as string[]).map((id) => users.get(id)).filter((u): u is { id: string; name: string } => !!u),
      incidents: links.filter((l) => l.postmortem_id === r.id).map((l) => ({
        id: l.id, number: Number(l.number), title: l.title, severity: l.severity, status: l.status, resolvedAt: isoOrNull(l.resolved_at === null ? null : Number(l.resolved_at)),
      })),
      dueAt: due === null ? null : iso(due),
      overdue: due !== null && r.status !== 'published' && due < now,
      submittedAt: isoOrNull(r.submitted_at === null ? null : Number(r.submitted_at)),
      publishedAt: isoOrNull(r.published_at === null ? null : Number(r.published_at)),
      createdAt: iso(Number(r.created_at)),
      updatedAt: iso(Number(r.updated_at)),
      version: Number(r.version),
    };
  });
}

export async function toPostmortemView(db: Db | Tx, row: PostmortemTable, now: number): Promise<PostmortemView> {
  return (await toPostmortemViews(db, [row], now))[0]!;
}
