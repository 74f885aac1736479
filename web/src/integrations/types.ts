/** Shapes of /api/v1/integrations (src/http/routes/alert-admin.ts); kept by hand so the UI builds on its own. */

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

export interface SenderConfig {
  /** The URL to paste into the sender; contains the key for formats that carry it in the path. */
  url: string;
  /** A ready config snippet for the sender. */
  snippet: string;
}

export interface Integration {
  id: string;
  name: string;
  format: IntegrationFormat;
  service: { id: string; slug: string; name: string } | null;
  /** The last 4 characters of the key, e.g. "…3f9a"; the key itself is never returned again. */
  keyHint: string;
  settings: Record<string, unknown>;
  disabled: boolean;
  /** "config" when firebreak.yaml declares it: rename, rotate and delete are refused. */
  managedBy: string | null;
  lastHeartbeatAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** With a placeholder key, except in the create and rotate-key answers. */
  sender: SenderConfig;
}

/** The create and rotate-key answers: the only times the key is shown. */
export interface IntegrationWithKey extends Integration {
  key: string;
}
