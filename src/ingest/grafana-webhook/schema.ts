import { z } from 'zod';
import { stringMap } from '../common.js';
import { amAlertSchema, amStatus } from '../alertmanager-webhook/schema.js';

/**
 * Grafana unified-alerting webhook contact point (`grafana/alerting receivers/webhook/v1`):
 * the Alertmanager data model plus Grafana's own fields, with `"version": "1"`. Loose objects,
 * because Grafana adds optional fields (`enrichments`, `appVersion`) between releases.
 */

export const grafanaAlertSchema = amAlertSchema.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  /** refId → value; `null` when the rule has no values. */
  values: z.record(z.string(), z.number().nullable()).nullish(),
  valueString: z.string().optional(),
  ruleUID: z.string().optional(),
  imageURL: z.string().optional(),
  orgId: z.number().optional(),
});

export const grafanaWebhookSchema = z.looseObject({
  version: z.literal('1', { error: 'expected "1" (Grafana webhook payload version)' }),
  receiver: z.string().default(''),
  status: amStatus,
  state: z.string().optional(),
  orgId: z.number().optional(),
  alerts: z.array(grafanaAlertSchema, { error: 'expected an array of alerts' }),
  groupLabels: stringMap,
  commonLabels: stringMap,
  commonAnnotations: stringMap,
  externalURL: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  title: z.string().optional(),
  message: z.string().optional(),
  appVersion: z.string().optional(),
});

export type GrafanaWebhookPayload = z.output<typeof grafanaWebhookSchema>;
