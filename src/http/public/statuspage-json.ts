import { markdownToText } from '../../core/markdown.js';
import type { PublicComponent, PublicIncident, PublicMaintenance, PublicPage } from '../../domain/statuspages/public-page.js';

/**
 * Statuspage's public API v2 shapes (field names and enumerations as in Atlassian's hosted
 * pages), so widgets and tools written for Statuspage work with only the base URL changed.
 */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function pageUrl(page: PublicPage, publicUrl: string): string {
  return page.hostName ? `https://${page.hostName}` : `${publicUrl.replace(/\/$/, '')}/status/${page.slug}`;
}

export function pageJson(page: PublicPage, publicUrl: string) {
  return { id: page.id, name: page.name, url: pageUrl(page, publicUrl), time_zone: 'Etc/UTC', updated_at: iso(page.updatedAt) };
}

export function componentJson(page: PublicPage, c: PublicComponent) {
  return {
    id: c.id, name: c.name, status: c.status, created_at: iso(c.createdAt), updated_at: iso(c.updatedAt), position: c.position,
    description: c.description || null, showcase: true, start_date: iso(c.createdAt)?.slice(0, 10) ?? null, group_id: c.groupId, page_id: page.id,
    group: c.group, only_show_if_degraded: false,
    ...(c.group ? { components: page.components.filter((m) => m.groupId === c.id).map((m) => m.id) } : {}),
  };
}

export function incidentJson(page: PublicPage, i: PublicIncident, publicUrl: string) {
  const components = page.components.filter((c) => i.components.includes(c.id));
  return {
    id: i.id, name: i.name, status: i.status, created_at: iso(i.createdAt), updated_at: iso(i.updatedAt),
    monitoring_at: iso(i.monitoringAt), resolved_at: iso(i.resolvedAt), impact: i.impact,
    shortlink: `${pageUrl(page, publicUrl)}#incident-${i.id}`, started_at: iso(i.startedAt), page_id: page.id,
    incident_updates: i.updates.map((u) => ({
      id: u.id, status: u.status, body: markdownToText(u.body), incident_id: i.id, created_at: iso(u.createdAt), updated_at: iso(u.createdAt), display_at: iso(u.createdAt),
      affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null,
    })),
    components: components.map((c) => componentJson(page, c)),
    postmortem_body: i.postmortem?.body ?? null, postmortem_published_at: iso(i.postmortem?.publishedAt ?? null),
  };
}

export const statusJson = (page: PublicPage, publicUrl: string) => ({ page: pageJson(page, publicUrl), status: page.status });
export const componentsJson = (page: PublicPage, publicUrl: string) => ({ page: pageJson(page, publicUrl), components: page.components.map((c) => componentJson(page, c)) });
export const incidentsJson = (page: PublicPage, publicUrl: string) => ({ page: pageJson(page, publicUrl), incidents: page.incidents.map((i) => incidentJson(page, i, publicUrl)) });
export const unresolvedJson = (page: PublicPage, publicUrl: string) => ({
  page: pageJson(page, publicUrl), incidents: page.incidents.filter((i) => i.status !== 'resolved').map((i) => incidentJson(page, i, publicUrl)),
});
/**
 * A scheduled maintenance as Statuspage writes one: the incident shape with `impact:
 * maintenance`, `scheduled_for`/`scheduled_until`, statuses scheduled | in_progress | verifying
 * | completed (also on its updates); `resolved_at` is when it completed.
 */
export function maintenanceJson(page: PublicPage, m: PublicMaintenance, publicUrl: string) {
  const components = page.components.filter((c) => m.components.includes(c.id));
  return {
    id: m.id, name: m.name, status: m.status, created_at: iso(m.createdAt), updated_at: iso(m.updatedAt),
    monitoring_at: null, resolved_at: m.status === 'completed' ? iso(m.endedAt) : null, impact: 'maintenance',
    shortlink: `${pageUrl(page, publicUrl)}#maintenance-${m.id}`, started_at: iso(m.startedAt ?? m.scheduledFor), page_id: page.id,
    incident_updates: m.updates.map((u) => ({
      id: u.id, status: u.status, body: u.body, incident_id: m.id, created_at: iso(u.createdAt), updated_at: iso(u.createdAt), display_at: iso(u.createdAt),
      affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null,
    })),
    components: components.map((c) => componentJson(page, c)),
    scheduled_for: iso(m.scheduledFor), scheduled_until: iso(m.scheduledUntil),
  };
}

const isUpcoming = (m: PublicMaintenance) => m.status === 'scheduled';
const isActive = (m: PublicMaintenance) => m.status === 'in_progress' || m.status === 'verifying';
/** Upcoming ones soonest first, as Statuspage lists them. */
const soonestFirst = (list: PublicMaintenance[]) => [...list].sort((a, b) => a.scheduledFor - b.scheduledFor);
const envelope = (page: PublicPage, publicUrl: string, list: PublicMaintenance[]) => ({ page: pageJson(page, publicUrl), scheduled_maintenances: list.map((m) => maintenanceJson(page, m, publicUrl)) });

/** scheduled-maintenances.json: the 50 most recent (upcoming, active, completed), latest start first. */
export const maintenancesJson = (page: PublicPage, publicUrl: string) => envelope(page, publicUrl, page.maintenances.slice(0, 50));
export const upcomingMaintenancesJson = (page: PublicPage, publicUrl: string) => envelope(page, publicUrl, soonestFirst(page.maintenances.filter(isUpcoming)));
export const activeMaintenancesJson = (page: PublicPage, publicUrl: string) => envelope(page, publicUrl, soonestFirst(page.maintenances.filter(isActive)));
export const summaryJson = (page: PublicPage, publicUrl: string) => ({
  page: pageJson(page, publicUrl),
  components: page.components.map((c) => componentJson(page, c)),
  incidents: page.incidents.filter((i) => i.status !== 'resolved').map((i) => incidentJson(page, i, publicUrl)),
  // Active and upcoming, as Statuspage's summary.
  scheduled_maintenances: soonestFirst(page.maintenances.filter((m) => isActive(m) || isUpcoming(m))).map((m) => maintenanceJson(page, m, publicUrl)),
  status: page.status,
});
