import { mapAmAlert } from '../alertmanager-webhook/map.js';
import { emptyToNull } from '../common.js';
import { boundAlertContext } from '../../domain/alerts/alert-context.js';
import { emptyResult } from '../../domain/alerts/signal.js';
import type { IngestContext, IngestResult } from '../../domain/alerts/signal.js';
import { parseOrThrow, validationError } from '../../core/field-issues.js';
import { grafanaWebhookSchema } from './schema.js';

/**
 * Grafana alerts map like Alertmanager alerts (same identity: `fingerprint`, same group
 * semantics: `groupKey`); the Grafana-only deep links (dashboard, panel, silence, image) are
 * kept in the alert's context for the incident page.
 */
export function mapGrafanaWebhook(body: unknown, _ctx: IngestContext): IngestResult {
  if (typeof body === 'object' && body !== null && (body as { version?: unknown }).version === '4') {
    throw validationError([
      {
        field: 'version',
        message: 'this is an Alertmanager webhook payload (version "4"); use /ingest/alertmanager/{key}',
      },
    ]);
  }
  const payload = parseOrThrow(grafanaWebhookSchema, body);
  const rawAlerts = (body as { alerts: unknown[] }).alerts;
  const groupKey = emptyToNull(payload.groupKey);
  const fallback = emptyToNull(payload.title) ?? 'Grafana alert';
  const signals = payload.alerts.map((alert, i) => {
    const signal = mapAmAlert(alert, rawAlerts[i], groupKey, fallback);
    // Grafana fills generatorURL with the rule's edit page; the panel is a better "look here".
    signal.generatorUrl = signal.generatorUrl ?? emptyToNull(alert.panelURL) ?? emptyToNull(alert.dashboardURL);
    signal.context = boundAlertContext({
      links: [
        { kind: 'dashboard', href: alert.dashboardURL, text: 'Dashboard' },
        { kind: 'panel', href: alert.panelURL, text: 'Panel' },
        { kind: 'silence', href: alert.silenceURL, text: 'Silence' },
      ],
      images: alert.imageURL ? [{ src: alert.imageURL, alt: 'Panel image' }] : [],
    });
    return signal;
  });
  return {
    ...emptyResult('grafana-webhook', { status: 200, body: { status: 'success', alerts: signals.length } }),
    signals,
    truncated: payload.truncatedAlerts,
    groupKey,
    receiver: payload.receiver,
  };
}
