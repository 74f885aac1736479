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
  /** What the planner decided for its latest signal. */
  decision: z.object({
    kind: z.string(),
    dedupKey: z.string(),
    alertId: z.string().nullable(),
    incidentId: z.string().nullable(),
    ruleId: z.string().nullable(),
    suppressedBy: z.string().nullable(),
    message: z.string(),
  }),
  startedAt: isoTime.nullable(),
  firstSeenAt: isoTime,
  lastSeenAt: isoTime,
  acknowledgedAt: isoTime.nullable(),
  resolvedAt: isoTime.nullable(),
}));
export const AlertList = itemsOf(Alert);
