import { z } from 'zod';
import { goTimestamp, stringMap } from '../common.js';

/**
 * Alertmanager `webhook_config` payload, version "4" (`notify/webhook/webhook.go`).
 * Loose objects: AM adds fields over releases (`routeLabels` in 0.34, `notification_reason` in
 * 0.32) and an unknown field must never cost us an alert. The fields we rely on are strict.
 */

export const amStatus = z.enum(['firing', 'resolved'], { error: 'must be "firing" or "resolved"' });

export const amAlertSchema = z.looseObject({
  status: amStatus,
  labels: stringMap,
  annotations: stringMap,
  startsAt: goTimestamp.optional(),
  endsAt: goTimestamp.optional(),
  generatorURL: z.string().optional(),
  /** 16 hex chars in AM; Grafana too. Recomputed when absent. */
  fingerprint: z.string().optional(),
});

export type AmAlert = z.output<typeof amAlertSchema>;

export const alertmanagerWebhookSchema = z.looseObject({
  version: z.literal('4', { error: 'expected "4" (Alertmanager webhook payload version)' }),
  receiver: z.string().default(''),
  status: amStatus,
  alerts: z.array(amAlertSchema, { error: 'expected an array of alerts' }),
  groupLabels: stringMap,
  commonLabels: stringMap,
  commonAnnotations: stringMap,
  routeLabels: stringMap.optional(),
  externalURL: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  notification_reason: z.string().optional(),
});

export type AlertmanagerWebhookPayload = z.output<typeof alertmanagerWebhookSchema>;
