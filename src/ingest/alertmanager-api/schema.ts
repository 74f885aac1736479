import { z } from 'zod';
import { goTimestamp, stringMap } from '../common.js';

/**
 * `postableAlert` of Alertmanager API v2 (`api/v2/openapi.yaml`), as Prometheus, vmalert and the
 * Loki ruler push it. Each array item is validated on its own because Alertmanager stores the
 * valid alerts of a batch even when others fail.
 */
export const postableAlertSchema = z.looseObject({
  labels: z.record(z.string(), z.string({ error: 'values must be strings' }), { error: 'is required' }),
  annotations: stringMap,
  // Go's zero time is "not set", exactly like an omitted field.
  startsAt: goTimestamp.nullish(),
  endsAt: goTimestamp.nullish(),
  generatorURL: z.string().optional(),
});

export type PostableAlert = z.output<typeof postableAlertSchema>;

export const postableAlertsSchema = z.array(z.unknown(), { error: 'expected a JSON array of alerts' });

/** Alertmanager's `global.resolve_timeout` default. */
export const DEFAULT_RESOLVE_TIMEOUT_MS = 5 * 60_000;

/** Integration settings; Alertmanager's `global.resolve_timeout` defaults to 5m. */
export const alertmanagerApiSettingsSchema = z
  .object({
    resolveTimeoutMs: z.number().int().positive().default(DEFAULT_RESOLVE_TIMEOUT_MS),
  })
  .nullish()
  .transform((s) => s ?? { resolveTimeoutMs: DEFAULT_RESOLVE_TIMEOUT_MS });
