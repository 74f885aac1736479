import { z } from 'zod';

/**
 * Per-integration behaviour, stored as JSON on the integration. Format-specific parts
 * (`mapping` for the generic webhook, `hmac` for Grafana, `resolveTimeoutMs` for the
 * Alertmanager API) are validated by their format module; the rest is read by the planner.
 */
export const integrationSettingsSchema = z.object({
  /**
   * How alerts group into incidents. `sender` (default): the sender's group key (AM/Grafana
   * `groupKey`), else the `alertname` label, else the alert's own key. `labels`: the values of
   * `groupBy` labels. `alert`: every alert its own incident.
   */
  grouping: z.enum(['sender', 'labels', 'alert']).default('sender'),
  groupBy: z.array(z.string().min(1)).default(['alertname']),
  /** Resolve the incident when every alert in it has resolved. */
  autoResolve: z.boolean().default(true),
  /** Open an incident only once `count` alerts of a group arrived within `withinMinutes`. */
  openAfter: z.object({ count: z.number().int().min(1).max(10_000), withinMinutes: z.number().positive().max(10_080) }).nullable().default(null),
  /** An alert that fires `count` times within `withinMinutes` is flapping and pages no more. */
  flap: z.object({ count: z.number().int().min(2).max(1000), withinMinutes: z.number().positive().max(10_080) }).nullable().default({ count: 4, withinMinutes: 30 }),
  /** Sender severity (case-insensitive) → Firebreak severity key; wins over the built-in map. */
  severityMap: z.record(z.string(), z.string()).default({}),
  /** Heartbeat integrations: a ping is expected every `intervalSeconds` (+ `graceSeconds`). */
  heartbeat: z.object({ intervalSeconds: z.number().int().min(10).max(604_800), graceSeconds: z.number().int().min(0).max(86_400).default(60) }).optional(),
  /** Generic webhook field mapping (ingest/generic-webhook). */
  mapping: z.unknown().optional(),
  /** Grafana HMAC settings (ingest/grafana-webhook/schema.ts). */
  hmac: z.unknown().optional(),
  /** Alertmanager API `resolve_timeout` in ms. */
  resolveTimeoutMs: z.number().int().positive().optional(),
  /**
   * Requests per second (sustained) and at once (burst) this integration may send; beyond, the
   * sender is told to retry later. Null: unlimited. Absent: the instance default.
   */
  rateLimit: z.object({ perSecond: z.number().positive().max(1_000_000), burst: z.number().int().min(1).max(10_000_000) }).nullable().optional(),
  /**
   * Storm guard: once this integration opened more than `maxIncidents` incidents within
   * `withinMinutes`, further new alerts join one storm incident instead of each opening (and
   * paging) its own. Null: off. Absent: the instance default.
   */
  storm: z.object({ maxIncidents: z.number().int().min(1).max(100_000), withinMinutes: z.number().positive().max(1_440) }).nullable().optional(),
});

export type IntegrationSettings = z.output<typeof integrationSettingsSchema>;
export type IntegrationSettingsInput = z.input<typeof integrationSettingsSchema>;

export function readSettings(json: string): IntegrationSettings {
  let raw: unknown = {};
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const parsed = integrationSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : integrationSettingsSchema.parse({});
}
