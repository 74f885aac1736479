import { z } from 'zod';
import { INTEGRATION_FORMATS } from '../../domain/alerts/integrations.js';
import { isoTime, itemsOf, view } from './registry.js';

/** Integrations and alerts (domain/alerts/integrations.ts, alert-queries.ts). */
export const Integration = view('Integration', z.object({
  id: z.string(),
  name: z.string(),
  format: z.enum(INTEGRATION_FORMATS),
  service: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  /** The last 4 characters of the key; the key itself is never returned again. */
  keyHint: z.string(),
  settings: z.record(z.string(), z.unknown()),
  disabled: z.boolean(),
  /** "config" when firebreak.yaml declares it: rename, rotate and delete are refused. */
  managedBy: z.string().nullable(),
  lastHeartbeatAt: isoTime.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** The URL and a config snippet to paste into the sender; a placeholder key except right after create or rotate. */
  sender: z.object({ url: z.string(), snippet: z.string() }),
}));

/** The create and rotate-key answers: the only times the key is shown. */
export const IntegrationWithKey = view('IntegrationWithKey', Integration.extend({ key: z.string() }));
export const IntegrationList = itemsOf(Integration);

export const Alert = view('Alert', z.object({
  id: z.string(),
  integrationId: z.string(),
  dedupKey: z.string(),
  status: z.string(),
  summary: z.string(),
  description: z.string().nullable(),
  severity: z.string().nullable(),
  severityRaw: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  source: z.string().nullable(),
  generatorUrl: z.string().nullable(),
  runbookUrl: z.string().nullable(),
  groupKey: z.string().nullable(),
  serviceId: z.string().nullable(),
  incidentId: z.string().nullable(),
  suppressedBy: z.string().nullable(),
  flapping: z.boolean(),
  count: z.number(),
  /**
   * What the planner decided for its latest signal, as stored with the alert: `kind` and
   * `message` always; the ids only on rows that recorded them (every planner does; rows
   * written by hand or imported may not).
   */
  decision: z.object({
    kind: z.enum(['opened-incident', 'joined-incident', 'pending-threshold', 'silenced', 'maintenance', 'flapping', 'dropped', 'duplicate', 'updated', 'acknowledged', 'resolved', 'no-open-alert']),
    dedupKey: z.string().optional(),
    alertId: z.string().nullable().optional(),
    incidentId: z.string().nullable().optional(),
    ruleId: z.string().nullable().optional(),
    suppressedBy: z.string().nullable().optional(),
    message: z.string(),
  }),
  startedAt: isoTime.nullable(),
  firstSeenAt: isoTime,
  lastSeenAt: isoTime,
  acknowledgedAt: isoTime.nullable(),
  resolvedAt: isoTime.nullable(),
}));

/** A page of the alert search, newest first (domain/alerts/search-alerts.ts). */
export const AlertPage = view('AlertPage', z.object({
  alerts: z.array(Alert),
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: z.string().nullable(),
  /** The search read its bound of alerts before filling the page: `next` searches on. */
  scanLimited: z.boolean(),
}));

/** One alert with its raw payload and the incident it opened or joined. */
export const AlertDetail = view('AlertDetail', Alert.extend({
  integrationName: z.string().nullable(),
  /** Null while it pages nobody. */
  incident: z.object({ id: z.string(), number: z.number(), title: z.string(), status: z.string() }).nullable(),
  /** Null once retention pruned it. `outcome` is what the ingest made of the payload, as stored. */
  rawPayload: z.object({ id: z.string(), receivedAt: isoTime, format: z.string(), body: z.string(), outcome: z.unknown() }).nullable(),
}));

/** An alert of an incident with what was kept at ingest (domain/alerts/incident-alerts.ts). */
export const IncidentAlert = view('IncidentAlert', Alert.extend({
  integrationName: z.string().nullable(),
  links: z.array(z.object({ kind: z.enum(['dashboard', 'panel', 'silence', 'generator', 'runbook', 'link']), href: z.string(), text: z.string().nullable() })),
  /** Only http(s) sources are kept. */
  images: z.array(z.object({ src: z.string(), href: z.string().nullable(), alt: z.string().nullable() })),
  /** The sender's custom_details, as sent (bounded). */
  customDetails: z.unknown(),
  tags: z.array(z.string()),
}));

export const IncidentAlertsPage = view('IncidentAlertsPage', z.object({
  items: z.array(IncidentAlert),
  /** Pass as `after` for the next page; null on the last. */
  next: z.string().nullable(),
  /** Over all of the incident's alerts, not this page. */
  counts: z.object({ total: z.number(), open: z.number(), firing: z.number(), acknowledged: z.number(), resolved: z.number() }),
  firstSeenAt: isoTime.nullable(),
  lastSeenAt: isoTime.nullable(),
  /** What the first alert says the problem is. */
  summary: z.object({ text: z.string(), description: z.string().nullable(), alertId: z.string() }).nullable(),
}));

/** A silence matcher as the Alertmanager API v2 writes it. */
export const ApiMatcher = view('ApiMatcher', z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean() }));

export const Silence = view('Silence', z.object({
  id: z.string(),
  matchers: z.array(ApiMatcher),
  startsAt: isoTime,
  endsAt: isoTime,
  createdBy: z.string(),
  comment: z.string(),
  updatedAt: isoTime,
  status: z.object({ state: z.enum(['pending', 'active', 'expired']) }),
}));
/** Alertmanager answers a bare array of silences; so does Firebreak, for amtool. */
export const SilenceList = z.array(Silence);

export const SilenceSaved = view('SilenceSaved', z.object({ silenceID: z.string() }));

/** An open alert as a silence preview or the Alertmanager alert list sees it (domain/alerts/list-open-alerts.ts). */
export const OpenAlert = view('OpenAlert', Alert.extend({
  integrationName: z.string(),
  /** `active` (paging as usual) or `suppressed` (held by `suppressedBy`). */
  state: z.enum(['active', 'suppressed']),
  /** When the sender said it ends, else null. */
  endsAt: isoTime.nullable(),
}));

export const SilencePreview = view('SilencePreview', z.object({
  matchers: z.array(ApiMatcher),
  /** How many open alerts match (of those scanned: see truncated). */
  total: z.number(),
  /** The newest 100 of them. */
  alerts: z.array(OpenAlert),
  /** There were too many open alerts to look at them all. */
  truncated: z.boolean(),
}));

export const MaintenanceWindow = view('MaintenanceWindow', z.object({
  id: z.string(),
  services: z.array(z.string()),
  startsAt: isoTime,
  endsAt: isoTime,
  reason: z.string(),
  /** Kept for API clients from before `state`: true while it holds alerts. */
  active: z.boolean(),
  state: z.enum(['pending', 'active', 'ended']),
  createdBy: z.string().nullable(),
  /** The scheduled maintenance (status page) that made it, which alone may change it; else null. */
  scheduledMaintenance: z.string().nullable(),
}));
export const MaintenanceWindowList = itemsOf(MaintenanceWindow);
