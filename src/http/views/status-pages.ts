import { z } from 'zod';
import { MAINTENANCE_STATUSES } from '../../domain/maintenance/lifecycle.js';
import { AUTO_MODES } from '../../domain/statuspages/auto-publish.js';
import { COMPONENT_STATUSES, INDICATORS } from '../../domain/statuspages/status.js';
import { isoTime, itemsOf, view } from './registry.js';

/** Status pages, their scheduled maintenance and subscribers (domain/statuspages, maintenance, subscribers). */
const ComponentStatus = z.enum(COMPONENT_STATUSES);

export const StatusComponent = view('StatusComponent', z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  group: z.boolean(),
  groupId: z.string().nullable(),
  position: z.number(),
  services: z.array(z.string()),
  status: ComponentStatus,
  /** Set by hand; null: derived from open incidents. */
  statusOverride: ComponentStatus.nullable(),
}));

export const StatusPage = view('StatusPage', z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  hostName: z.string().nullable(),
  severityMap: z.record(z.string(), ComponentStatus),
  status: z.object({ indicator: z.enum(INDICATORS), description: z.string() }),
  components: z.array(StatusComponent),
  autoPublish: z.object({
    /** Severity key → mode; a severity not listed is never auto-published. */
    severities: z.record(z.string(), z.enum(AUTO_MODES)),
    /** Liquid; '' means the default. */
    title: z.string(),
    body: z.string(),
  }),
  /** Unresolved public incidents, drafts included (a draft is never public). */
  openPublicIncidents: z.array(z.object({
    id: z.string(),
    incidentId: z.string(),
    incidentNumber: z.number(),
    name: z.string(),
    status: z.string(),
    impact: z.string(),
    draft: z.boolean(),
    components: z.array(z.string()),
  })),
  /** What the page shows that its public incidents do not explain, or the other way round. */
  mismatches: z.array(z.object({
    kind: z.enum(['status_without_incident', 'incident_without_status']),
    componentId: z.string().nullable(),
    publicIncidentId: z.string().nullable(),
    message: z.string(),
  })),
  createdAt: isoTime,
  updatedAt: isoTime,
}));
export const StatusPageList = itemsOf(StatusPage);

/** A public incident as its page's editors see it: what the public is shown, updates oldest first. */
export const PublicIncident = view('PublicIncident', z.object({
  id: z.string(),
  /** The page's slug. */
  page: z.string(),
  incidentId: z.string(),
  name: z.string(),
  impact: z.string(),
  status: z.string(),
  /** Component ids. */
  components: z.array(z.string()),
  startedAt: isoTime,
  resolvedAt: isoTime.nullable(),
  updates: z.array(z.object({ id: z.string(), status: z.string(), body: z.string(), createdAt: isoTime })),
}));

export const PagePreview = view('PagePreview', z.object({ html: z.string() }));

export const Maintenance = view('Maintenance', z.object({
  id: z.string(),
  page: z.string(),
  name: z.string(),
  /** Markdown. */
  description: z.string(),
  status: z.enum(MAINTENANCE_STATUSES),
  scheduledFor: isoTime,
  scheduledUntil: isoTime,
  remindMinutes: z.number().nullable(),
  components: z.array(z.object({ id: z.string(), name: z.string() })),
  matchers: z.array(z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean() })),
  services: z.array(z.string()),
  /** The real silence / alert maintenance window it created at its start. */
  silenceId: z.string().nullable(),
  windowId: z.string().nullable(),
  startedAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
  createdBy: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  updates: z.array(z.object({ id: z.string(), status: z.string(), body: z.string(), createdAt: isoTime })),
  /** What subscribers are to be told, oldest first. */
  announcements: z.array(z.object({ kind: z.string(), at: isoTime })),
}));
export const MaintenanceList = itemsOf(Maintenance);

export const Subscriber = view('Subscriber', z.object({
  id: z.string(),
  page: z.string(),
  kind: z.string(),
  address: z.string(),
  components: z.array(z.string()),
  confirmed: z.boolean(),
  confirmedAt: isoTime.nullable(),
  createdAt: isoTime,
}));
/** The add answer: a generated webhook secret is shown this once. */
export const NewSubscriber = view('NewSubscriber', Subscriber.extend({ secret: z.string().optional() }));
export const SubscriberList = itemsOf(Subscriber);
