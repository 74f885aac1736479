import { notFound } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { ScheduledMaintenanceTable } from '../../store/schema.js';
import { matcherToApi, type ApiMatcher, type LabelMatcher } from '../alerts/matchers.js';
import { iso, isoOrNull } from '../incidents/incident-view.js';

/** The admin's view of a scheduled maintenance (the public JSON is shaped in http/public). */
export interface MaintenanceView {
  id: string;
  page: string;
  name: string;
  /** Markdown. */
  description: string;
  status: string;
  scheduledFor: string;
  scheduledUntil: string;
  remindMinutes: number | null;
  components: { id: string; name: string }[];
  matchers: ApiMatcher[];
  services: string[];
  /** The real silence / alert maintenance window it created at its start. */
  silenceId: string | null;
  windowId: string | null;
  startedAt: string | null;
  endedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  updates: { id: string; status: string; body: string; createdAt: string }[];
  /** What subscribers are to be told (see announce-maintenance.ts), oldest first. */
  announcements: { kind: string; at: string }[];
}

export async function findMaintenanceRow(db: Db | Tx, pageId: string, ref: string): Promise<ScheduledMaintenanceTable> {
  const row = await db.selectFrom('scheduled_maintenances').selectAll().where('page_id', '=', pageId).where('id', '=', ref).executeTakeFirst();
  if (!row) throw notFound('scheduled maintenance', ref);
  return row;
}

export async function toMaintenanceView(db: Db | Tx, row: ScheduledMaintenanceTable, pageSlug: string): Promise<MaintenanceView> {
  const ids = JSON.parse(row.components) as string[];
  const components = ids.length === 0 ? [] : await db.selectFrom('status_components').select(['id', 'name', 'position']).where('id', 'in', ids).orderBy('position').execute();
  const updates = await db.selectFrom('scheduled_maintenance_updates').selectAll().where('maintenance_id', '=', row.id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const announcements = await db.selectFrom('maintenance_announcements').select(['kind', 'created_at']).where('maintenance_id', '=', row.id).orderBy('created_at').orderBy('id').execute();
  return {
    id: row.id, page: pageSlug, name: row.name, description: row.description, status: row.status,
    scheduledFor: iso(row.scheduled_for), scheduledUntil: iso(row.scheduled_until), remindMinutes: row.remind_minutes,
    components: components.map((c) => ({ id: c.id, name: c.name })),
    matchers: (JSON.parse(row.matchers) as LabelMatcher[]).map(matcherToApi), services: JSON.parse(row.services) as string[],
    silenceId: row.silence_id, windowId: row.window_id, startedAt: isoOrNull(row.started_at), endedAt: isoOrNull(row.ended_at),
    createdBy: row.created_by, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at),
    updates: updates.map((u) => ({ id: u.id, status: u.status, body: u.body, createdAt: iso(u.created_at) })),
    announcements: announcements.map((a) => ({ kind: a.kind, at: iso(a.created_at) })),
  };
}
