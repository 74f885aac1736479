/** Integrations: the generated views (src/http/views/alerts.ts) and the labels the create form offers. */
import type { components } from '../api/schema.js';

/**
 * The formats the server accepts, in the order the create form offers them. The server's list
 * is INTEGRATION_FORMATS in src/domain/alerts/integrations.ts; a test fails when they differ.
 */
export const INTEGRATION_FORMATS = [
  { format: 'alertmanager-webhook', label: 'Alertmanager webhook (webhook_configs)' },
  { format: 'pagerduty-events-v2', label: 'PagerDuty Events API v2 (also Alertmanager pagerduty_configs)' },
  { format: 'opsgenie', label: 'Opsgenie Alert API (also Alertmanager opsgenie_configs)' },
  { format: 'grafana-webhook', label: 'Grafana alerting webhook' },
  { format: 'alertmanager-api', label: 'Alertmanager API v2 (Prometheus, vmalert, amtool push)' },
  { format: 'generic-webhook', label: 'Generic JSON webhook (needs a field mapping)' },
  { format: 'heartbeat', label: 'Heartbeat (dead man’s switch)' },
] as const;

export type IntegrationFormat = (typeof INTEGRATION_FORMATS)[number]['format'];

export function formatLabel(format: string): string {
  return INTEGRATION_FORMATS.find((f) => f.format === format)?.label ?? format;
}

export type Integration = components['schemas']['Integration'];
/** The create and rotate-key answers: the only times the key is shown. */
export type IntegrationWithKey = components['schemas']['IntegrationWithKey'];
export type SenderConfig = Integration['sender'];
