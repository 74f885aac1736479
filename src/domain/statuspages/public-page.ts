import type { Db } from '../../store/index.js';
import type { StatusPageTable } from '../../store/schema.js';
import { componentViews } from './page-view.js';
import { rollUp, uptimeBars, type ComponentStatus, type Impact, type Outage, type PageStatus, type UptimeDay } from './status.js';

/**
 * Everything a public page shows, read without an actor: the public surface reads only status
 * page tables and the status/severity/service of open incidents (for derived statuses), never
 * an incident's text, labels, notes or people.
 */
export interface PublicPage {
  id: string;
  slug: string;
  name: string;
  hostName: string | null;
  updatedAt: number;
  status: PageStatus;
  components: PublicComponent[];
  /** Newest first, at most 50 (as Statuspage's incidents.json). */
  incidents: PublicIncident[];
  /** Not cancelled: upcoming, running, and completed in the last 90 days; latest start first. */
  maintenances: PublicMaintenance[];
}

/** A scheduled maintenance as the public sees it (Statuspage: an incident with a schedule). */
export interface PublicMaintenance {
  id: string;
  name: string;
  /** Markdown. */
  description: string;
  /** scheduled | in_progress | verifying | completed */
  status: string;
  components: string[];
  scheduledFor: number;
  scheduledUntil: number;
  startedAt: number | null;
  endedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Newest first. */
  updates: { id: string; status: string; body: string; createdAt: number }[];
}

export interface PublicComponent {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  position: number;
  group: boolean;
  groupId: string | null;
  createdAt: number;
  updatedAt: number;
  uptime: { days: UptimeDay[]; uptimePercent: number };
}

export interface PublicIncident {
  id: string;
  name: string;
  status: string;
  impact: Impact;
  components: string[];
  startedAt: number;
  createdAt: number;
  updatedAt: number;
  monitoringAt: number | null;
  resolvedAt: number | null;
  /** Newest first, as Statuspage lists them. */
  updates: { id: string; status: string; body: string; createdAt: number }[];
  /** The published post-mortem's public text (Statuspage's postmortem_body), or null. */
  postmortem: { body: string; publishedAt: number } | null;
}

export const HISTORY_DAYS = 90;

export async function findPublicPage(db: Db, by: { slug: string } | { host: string }): Promise<StatusPageTable | undefined> {
  const q = db.selectFrom('status_pages').selectAll();
  return ('slug' in by ? q.where('slug', '=', by.slug) : q.where('host_name', '=', by.host.toLowerCase())).executeTakeFirst();
}

/** Published post-mortems with a public text, by incident (domain/postmortems). */
async function publicPostmortems(db: Db, incidentIds: string[]): Promise<Map<string, { body: string; publishedAt: number }>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await db.selectFrom('postmortem_incidents').innerJoin('postmortems', 'postmortems.id', 'postmortem_incidents.postmortem_id')
    .select(['postmortem_incidents.incident_id', 'postmortems.public_body', 'postmortems.published_at'])
    .where('postmortem_incidents.incident_id', 'in', incidentIds).where('postmortems.status', '=', 'published').where('postmortems.public_body', '!=', '').execute();
  return new Map(rows.map((r) => [r.incident_id, { body: r.public_body, publishedAt: Number(r.published_at) }]));
}

export async function loadPublicPage(db: Db, page: StatusPageTable, now: number): Promise<PublicPage> {
  const components = await componentViews(db, page);
  const since = now - HISTORY_DAYS * 86_400_000;
  // A draft (auto-publish waiting for its click) is never public.
  const rows = await db.selectFrom('public_incidents').selectAll().where('page_id', '=', page.id).where('draft', '=', 0)
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', since)])).orderBy('started_at', 'desc').execute();
  const ids = rows.map((r) => r.id);
  const updates = ids.length === 0 ? [] : await db.selectFrom('public_incident_updates').selectAll().where('public_incident_id', 'in', ids).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const postmortems = await publicPostmortems(db, rows.map((r) => r.incident_id));
  const incidents: PublicIncident[] = rows.map((r) => ({
    id: r.id, name: r.name, status: r.status, impact: r.impact as Impact, components: JSON.parse(r.components),
    startedAt: r.started_at, createdAt: r.created_at, updatedAt: r.updated_at, monitoringAt: r.monitoring_at, resolvedAt: r.resolved_at,
    updates: updates.filter((u) => u.public_incident_id === r.id).map((u) => ({ id: u.id, status: u.status, body: u.body, createdAt: u.created_at })),
    postmortem: postmortems.get(r.incident_id) ?? null,
  }));
  const maintenances = await loadPublicMaintenances(db, page.id, since);
  const members = (id: string) => components.filter((c) => c.groupId === id).map((c) => c.id);
  const publicComponents = components.map((c): PublicComponent => {
    const covers = new Set([c.id, ...(c.group ? members(c.id) : [])]);
    const outages: Outage[] = incidents.filter((i) => i.components.some((id) => covers.has(id))).map((i) => ({ startedAt: i.startedAt, resolvedAt: i.resolvedAt, impact: i.impact }));
    // A maintenance on the component, or on its group, is maintenance time on its bar.
    for (const m of maintenances) {
      if (m.startedAt !== null && m.components.some((id) => covers.has(id) || id === c.groupId)) outages.push({ startedAt: m.startedAt, resolvedAt: m.endedAt, impact: 'none', maintenance: true });
    }
    return {
      id: c.id, name: c.name, description: c.description, status: c.status, position: c.position, group: c.group, groupId: c.groupId,
      createdAt: 0, updatedAt: 0, uptime: uptimeBars(outages, now, HISTORY_DAYS),
    };
  });
  // Row times without a second query through the view.
  const times = await db.selectFrom('status_components').select(['id', 'created_at', 'updated_at']).where('page_id', '=', page.id).execute();
  for (const t of times) {
    const c = publicComponents.find((p) => p.id === t.id);
    if (c) { c.createdAt = t.created_at; c.updatedAt = t.updated_at; }
  }
  return {
    id: page.id, slug: page.slug, name: page.name, hostName: page.host_name,
    updatedAt: Math.max(page.updated_at, ...incidents.map((i) => i.updatedAt), ...maintenances.map((m) => m.updatedAt)),
    status: rollUp(components.filter((c) => !c.group).map((c) => c.status)),
    components: publicComponents,
    incidents: incidents.slice(0, 50),
    maintenances,
  };
}

async function loadPublicMaintenances(db: Db, pageId: string, since: number): Promise<PublicMaintenance[]> {
  const rows = await db.selectFrom('scheduled_maintenances').selectAll().where('page_id', '=', pageId).where('status', '!=', 'cancelled')
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', since)])).orderBy('scheduled_for', 'desc').orderBy('id', 'desc').limit(200).execute();
  const ids = rows.map((r) => r.id);
  const updates = ids.length === 0 ? [] : await db.selectFrom('scheduled_maintenance_updates').selectAll().where('maintenance_id', 'in', ids).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id, name: r.name, description: r.description, status: r.status, components: JSON.parse(r.components) as string[],
    scheduledFor: r.scheduled_for, scheduledUntil: r.scheduled_until, startedAt: r.started_at, endedAt: r.ended_at, createdAt: r.created_at, updatedAt: r.updated_at,
    updates: updates.filter((u) => u.maintenance_id === r.id).map((u) => ({ id: u.id, status: u.status, body: u.body, createdAt: u.created_at })),
  }));
}
