import { z } from 'zod';

/** Integration settings for the optional HMAC signature (Grafana `hmacConfig`). */
export const grafanaHmacSettingsSchema = z.object({
  secret: z.string().min(1, { error: 'must not be empty' }),
  /** Grafana's default signature header. */
  header: z.string().min(1).default('X-Grafana-Alerting-Signature'),
  /** Set only when Grafana is configured with `timestampHeader`; then the timestamp is signed too. */
  timestampHeader: z.string().min(1).optional(),
  /** Replay window; Grafana defines none, 5 minutes matches Slack and Standard Webhooks. */
  toleranceSeconds: z.number().int().positive().default(300),
});

export type GrafanaHmacSettings = z.input<typeof grafanaHmacSettingsSchema>;
