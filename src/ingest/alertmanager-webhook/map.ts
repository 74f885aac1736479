import { emptyToNull, firstText, pickRunbookUrl, unquoteMeta } from '../common.js';
import { fingerprint } from '../fingerprint.js';
import { emptyResult } from '../../domain/alerts/signal.js';
import type { AlertSignal, IngestContext, IngestResult } from '../../domain/alerts/signal.js';
import { parseOrThrow, validationError } from '../../core/field-issues.js';
import { readAlertmanagerWebhook } from './fast-parse.js';
import { alertmanagerWebhookSchema } from './schema.js';
import type { AmAlert } from './schema.js';

/**
 * One signal per alert in the group. Each alert keeps its own identity (AM `fingerprint`) and
 * shares the group's `groupKey`, which is what the domain should open one incident on: AM
 * resends whole groups on every flush and on failed deliveries, so upserting on both keys makes
 * redelivery harmless.
 */
export function mapAmAlert(alert: AmAlert, raw: unknown, groupKey: string | null, fallbackSummary: string): AlertSignal {
  const { labels, annotations } = alert;
  return {
    dedupKey: emptyToNull(alert.fingerprint) ?? fingerprint(labels),
    lookup: 'dedup-key',
    action: alert.status === 'resolved' ? 'resolve' : 'trigger',
    summary: firstText([annotations.summary, annotations.title, annotations.message, labels.alertname], fallbackSummary),
    description: emptyToNull(annotations.description),
    severity: emptyToNull(labels.severity),
    source: emptyToNull(labels.instance) ?? emptyToNull(labels.job),
    labels,
    annotations,
    tags: [],
    startedAt: alert.startsAt ?? null,
    endedAt: alert.endsAt ?? null,
    generatorUrl: emptyToNull(alert.generatorURL),
    runbookUrl: pickRunbookUrl(annotations),
    groupKey,
    details: raw,
  };
}

/** Explains bodies that are not v4 instead of a bare "invalid literal". */
function rejectOtherVersions(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError([{ field: 'body', message: 'expected an Alertmanager webhook JSON object' }]);
  }
  const version = (body as { version?: unknown }).version;
  if (version === '4') return;
  if (version === '1' && 'orgId' in body) {
    throw validationError([
      {
        field: 'version',
        message: 'this is a Grafana webhook payload (version "1"); point the contact point at /ingest/grafana/{key}',
      },
    ]);
  }
  throw validationError([
    {
      field: 'version',
      message:
        `expected Alertmanager webhook version "4", got ${JSON.stringify(version ?? null)}; ` +
        'a custom `payload` template replaces the v4 body, so send it to a generic webhook integration instead',
    },
  ]);
}

export function mapAlertmanagerWebhook(body: unknown, _ctx: IngestContext): IngestResult {
  rejectOtherVersions(body);
  const payload = readAlertmanagerWebhook(body) ?? parseOrThrow(alertmanagerWebhookSchema, body);
  const rawAlerts = (body as { alerts: unknown[] }).alerts;
  const groupKey = emptyToNull(payload.groupKey);
  const signals = payload.alerts.map((alert, i) => mapAmAlert(alert, rawAlerts[i], groupKey, 'Alertmanager alert'));
  return {
    ...emptyResult('alertmanager-webhook', {
      status: 200,
      body: { status: 'success', alerts: signals.length, truncatedAlerts: payload.truncatedAlerts },
    }),
    signals,
    truncated: payload.truncatedAlerts,
    groupKey,
    receiver: unquoteMeta(payload.receiver),
  };
}
