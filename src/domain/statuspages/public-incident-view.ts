import type { Db, Tx } from '../../store/index.js';
import type { PublicIncidentTable } from '../../store/schema.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';

/** The admin's view of a published incident (the public JSON is shaped in http/public). */
export interface PublicIncidentView {
  id: string;
  page: string;
  incidentId: string;
  name: string;
  impact: string;
  status: string;
  components: string[];
  startedAt: string;
  resolvedAt: string | null;
  updates: { id: string; status: string; body: string; createdAt: string }[];
}

export async function toPublicIncidentView(db: Db | Tx, row: PublicIncidentTable, pageSlug: string): Promise<PublicIncidentView> {
  const updates = await db.selectFrom('public_incident_updates').selectAll().where('public_incident_id', '=', row.id).orderBy('created_at').orderBy('id').execute();
  return {
    id: row.id, page: pageSlug, incidentId: row.incident_id, name: row.name, impact: row.impact, status: row.status,
    components: JSON.parse(row.components), startedAt: iso(row.started_at), resolvedAt: isoOrNull(row.resolved_at),
    updates: updates.map((u) => ({ id: u.id, status: u.status, body: u.body, createdAt: iso(u.created_at) })),
  };
}

/** Moves a public incident to `status` with one more update; resolved and monitoring stamp their times. */
export async function appendPublicUpdate(tx: Tx, row: PublicIncidentTable, update: { status: string; body: string; at: number; id: string }): Promise<PublicIncidentTable> {
  await tx.insertInto('public_incident_updates').values({ id: update.id, public_incident_id: row.id, status: update.status, body: update.body, created_at: update.at }).execute();
  const next = {
    status: update.status,
    updated_at: update.at,
    monitoring_at: update.status === 'monitoring' ? (row.monitoring_at ?? update.at) : row.monitoring_at,
    resolved_at: update.status === 'resolved' ? (row.resolved_at ?? update.at) : null,
  };
  await tx.updateTable('public_incidents').set(next).where('id', '=', row.id).execute();
  await tx.updateTable('status_pages').set({ updated_at: update.at }).where('id', '=', row.page_id).execute();
  return { ...row, ...next };
}
