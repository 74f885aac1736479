import type { Db, Tx } from '../../store/index.js';
import type { StatusComponentTable, StatusPageTable } from '../../store/schema.js';
import { iso } from '../incidents/incident-view.js';
import { parseAutoPublish, type AutoPublish } from './auto-publish.js';
import { findMismatches, type Mismatch } from './mismatch.js';
import { deriveComponentStatus, rollUp, type ComponentStatus, type OpenIncidentOnService, type PageStatus } from './status.js';

export interface ComponentView {
  id: string;
  name: string;
  description: string;
  group: boolean;
  groupId: string | null;
  position: number;
  services: string[];
  status: ComponentStatus;
  /** Set by hand; null: derived from open incidents. */
  statusOverride: ComponentStatus | null;
}

export interface StatusPageView {
  id: string;
  slug: string;
  name: string;
  hostName: string | null;
  severityMap: Record<string, ComponentStatus>;
  status: PageStatus;
  components: ComponentView[];
  autoPublish: AutoPublish;
  /** Unresolved public incidents, drafts included (a draft is never public). */
  openPublicIncidents: OpenPublicIncident[];
  /** What the page shows that its public incidents do not explain, or the other way round. */
  mismatches: Mismatch[];
  createdAt: string;
  updatedAt: string;
}

export interface OpenPublicIncident {
  id: string;
  incidentId: string;
  incidentNumber: number;
  name: string;
  status: string;
  impact: string;
  draft: boolean;
  components: string[];
}

async function openPublicIncidents(db: Db | Tx, pageId: string): Promise<OpenPublicIncident[]> {
  const rows = await db.selectFrom('public_incidents').innerJoin('incidents', 'incidents.id', 'public_incidents.incident_id')
    .select(['public_incidents.id', 'public_incidents.incident_id', 'incidents.number', 'public_incidents.name', 'public_incidents.status', 'public_incidents.impact', 'public_incidents.draft', 'public_incidents.components'])
    .where('public_incidents.page_id', '=', pageId).where('public_incidents.status', '!=', 'resolved').orderBy('public_incidents.started_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, incidentId: r.incident_id, incidentNumber: r.number, name: r.name, status: r.status, impact: r.impact, draft: r.draft === 1, components: JSON.parse(r.components) }));
}

/** Open incidents on any of these services, as the derivation needs them (drills excluded). */
export async function openIncidentsOn(db: Db | Tx, serviceIds: readonly string[]): Promise<OpenIncidentOnService[]> {
  if (serviceIds.length === 0) return [];
  const rows = await db.selectFrom('incidents').select(['service_id', 'severity'])
    .where('service_id', 'in', [...serviceIds]).where('status', '!=', 'resolved').where('is_drill', '=', 0).execute();
  return rows.map((r) => ({ serviceId: r.service_id!, severity: r.severity }));
}

/** Component ids of this page affected by a scheduled maintenance that runs now (in progress or verifying). */
export async function componentsUnderMaintenance(db: Db | Tx, pageId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('scheduled_maintenances').select('components').where('page_id', '=', pageId).where('status', 'in', ['in_progress', 'verifying']).execute();
  return new Set(rows.flatMap((r) => JSON.parse(r.components) as string[]));
}

/** Components with their current statuses; a group shows the worst of its members. */
export async function componentViews(db: Db | Tx, page: StatusPageTable): Promise<ComponentView[]> {
  const rows: StatusComponentTable[] = await db.selectFrom('status_components').selectAll().where('page_id', '=', page.id).orderBy('position').orderBy('id').execute();
  const services = [...new Set(rows.flatMap((r) => JSON.parse(r.services) as string[]))];
  const open = await openIncidentsOn(db, services);
  const map = JSON.parse(page.severity_map) as Record<string, ComponentStatus>;
  const maintained = await componentsUnderMaintenance(db, page.id);
  const views = rows.map((r): ComponentView => ({
    id: r.id, name: r.name, description: r.description, group: r.is_group === 1, groupId: r.group_id, position: r.position,
    services: JSON.parse(r.services), statusOverride: (r.status_override as ComponentStatus | null),
    status: deriveComponentStatus({ services: JSON.parse(r.services), openIncidents: open, severityMap: map, override: r.status_override as ComponentStatus | null, inMaintenance: maintained.has(r.id) || (r.group_id !== null && maintained.has(r.group_id)) }),
  }));
  for (const g of views.filter((v) => v.group && !v.statusOverride)) {
    const members = views.filter((v) => v.groupId === g.id).map((v) => v.status);
    g.status = [g.status, ...members].reduce((w, s) => (rank(s) > rank(w) ? s : w), 'operational' as ComponentStatus);
  }
  return views;
}

const rank = (s: ComponentStatus) => ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'].indexOf(s);

export async function toPageView(db: Db | Tx, page: StatusPageTable): Promise<StatusPageView> {
  const components = await componentViews(db, page);
  const open = await openPublicIncidents(db, page.id);
  return {
    id: page.id, slug: page.slug, name: page.name, hostName: page.host_name,
    severityMap: JSON.parse(page.severity_map),
    status: rollUp(components.filter((c) => !c.group).map((c) => c.status)),
    components,
    autoPublish: parseAutoPublish(page.auto_publish),
    openPublicIncidents: open,
    mismatches: findMismatches(components, open),
    createdAt: iso(page.created_at), updatedAt: iso(page.updated_at),
  };
}
