import type { AppError } from '../core/errors.js';
import { mapAlertmanagerApi } from './alertmanager-api/map.js';
import { mapAlertmanagerWebhook } from './alertmanager-webhook/map.js';
import { mapGenericWebhook } from './generic-webhook/map.js';
import { mapGrafanaWebhook } from './grafana-webhook/map.js';
import { mapOpsgenie, opsgenieErrorReply } from './opsgenie/map.js';
import { mapPagerDuty } from './pagerduty-events-v2/map.js';
import { pagerDutyErrorReply } from './pagerduty-events-v2/responses.js';
import { INGEST_FORMATS } from '../domain/alerts/signal.js';
import type { IngestContext, IngestFormat, IngestReply, IngestResult } from '../domain/alerts/signal.js';

/**
 * Every ingest format with its entry point. A `Record` over the format union, so adding a
 * format without registering it is a compile error. The HTTP layer owns routing and auth; it
 * looks the format up here, calls `parse`, commits the result, then sends `result.reply`.
 */

/** How a sender proves who it is on this format's endpoints. */
export type IngestAuth =
  | 'url-key' // the integration key is in the path: /ingest/<format>/{key}
  | 'routing-key' // PagerDuty: `routing_key` in the body
  | 'genie-key' // Opsgenie: `Authorization: GenieKey <key>`
  | 'bearer-or-basic'; // Alertmanager API: Bearer token, or Basic with the key as password

export interface IngestEndpoint {
  method: 'POST' | 'PUT';
  /** Route Firebreak serves; `{key}` / `{identifier}` are path parameters. */
  path: string;
  /** Value for `IngestContext.endpoint` when this route calls `parse`. */
  endpoint?: string;
}

export interface IngestFormatEntry {
  format: IngestFormat;
  title: string;
  auth: IngestAuth;
  endpoints: readonly IngestEndpoint[];
  /** Validates and maps a parsed JSON body. Throws AppError VALIDATION naming the field. */
  parse(body: unknown, ctx: IngestContext): IngestResult;
  /**
   * The vendor's own error body for an AppError, for senders that parse it (PagerDuty,
   * Opsgenie); null → Firebreak's standard error response.
   */
  errorReply(error: AppError, ctx: IngestContext): IngestReply | null;
}

const standardErrors = (): null => null;

export const ingestRegistry: Record<IngestFormat, IngestFormatEntry> = {
  'alertmanager-webhook': {
    format: 'alertmanager-webhook',
    title: 'Alertmanager webhook (v4)',
    auth: 'url-key',
    endpoints: [{ method: 'POST', path: '/ingest/alertmanager/{key}' }],
    parse: mapAlertmanagerWebhook,
    errorReply: standardErrors,
  },
  'pagerduty-events-v2': {
    format: 'pagerduty-events-v2',
    title: 'PagerDuty Events API v2',
    auth: 'routing-key',
    endpoints: [
      { method: 'POST', path: '/v2/enqueue', endpoint: 'enqueue' },
      { method: 'POST', path: '/v2/change/enqueue', endpoint: 'change' },
    ],
    parse: mapPagerDuty,
    errorReply: (error) => pagerDutyErrorReply(error),
  },
  opsgenie: {
    format: 'opsgenie',
    title: 'Opsgenie Alert API',
    auth: 'genie-key',
    endpoints: [
      { method: 'POST', path: '/v2/alerts', endpoint: 'create' },
      { method: 'POST', path: '/v2/alerts/{identifier}/close', endpoint: 'close' },
      { method: 'POST', path: '/v2/alerts/{identifier}/acknowledge', endpoint: 'acknowledge' },
      { method: 'PUT', path: '/v2/alerts/{identifier}/message', endpoint: 'message' },
      { method: 'PUT', path: '/v2/alerts/{identifier}/description', endpoint: 'description' },
      { method: 'POST', path: '/v2/alerts/{identifier}/notes', endpoint: 'notes' },
    ],
    parse: mapOpsgenie,
    errorReply: opsgenieErrorReply,
  },
  'grafana-webhook': {
    format: 'grafana-webhook',
    title: 'Grafana webhook contact point (v1)',
    auth: 'url-key',
    endpoints: [
      { method: 'POST', path: '/ingest/grafana/{key}' },
      { method: 'PUT', path: '/ingest/grafana/{key}' },
    ],
    parse: mapGrafanaWebhook,
    errorReply: standardErrors,
  },
  'alertmanager-api': {
    format: 'alertmanager-api',
    title: 'Alertmanager API v2 (POST /api/v2/alerts)',
    auth: 'bearer-or-basic',
    endpoints: [{ method: 'POST', path: '/api/v2/alerts' }],
    parse: mapAlertmanagerApi,
    // Alertmanager answers 400 with a JSON string; keep that shape for whole-body errors too.
    errorReply: (error) => (error.code === 'VALIDATION' ? { status: 400, body: error.message } : null),
  },
  'generic-webhook': {
    format: 'generic-webhook',
    title: 'Generic JSON webhook (field mapping)',
    auth: 'url-key',
    endpoints: [{ method: 'POST', path: '/ingest/generic/{key}' }],
    parse: mapGenericWebhook,
    errorReply: standardErrors,
  },
};

export function isIngestFormat(value: unknown): value is IngestFormat {
  return typeof value === 'string' && (INGEST_FORMATS as readonly string[]).includes(value);
}

/** Convenience for callers holding a format name: parse with that format. */
export function parseIngest(format: IngestFormat, body: unknown, ctx: IngestContext): IngestResult {
  return ingestRegistry[format].parse(body, ctx);
}
