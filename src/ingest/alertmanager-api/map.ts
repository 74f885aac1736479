import type { FieldIssue } from '../../core/errors.js';
import { emptyToNull, firstText, pickRunbookUrl } from '../common.js';
import { fingerprint } from '../fingerprint.js';
import { emptyResult } from '../../domain/alerts/signal.js';
import type { AlertSignal, IngestContext, IngestReply, IngestResult } from '../../domain/alerts/signal.js';
import { parseOrThrow, zodIssues } from '../../core/field-issues.js';
import { readPostableAlert } from './fast-parse.js';
import { alertmanagerApiSettingsSchema, DEFAULT_RESOLVE_TIMEOUT_MS, postableAlertSchema, postableAlertsSchema } from './schema.js';

/**
 * `POST /api/v2/alerts`, following Alertmanager's handler (`api/v2/api.go`): fill in missing
 * times, drop empty labels, validate each alert, keep the good ones. Clients re-send firing
 * alerts every evaluation and resolved ones for 15 minutes, so duplicates are the normal case
 * and the fingerprint is the only identity.
 */

/** AM's reply: 200 with an empty body, or 400 with a JSON *string* listing what failed. */
export function alertmanagerApiReply(rejected: readonly FieldIssue[]): IngestReply {
  if (rejected.length === 0) return { status: 200, body: null };
  return { status: 400, body: rejected.map((r) => `${r.field}: ${r.message}`).join('; ') };
}

function mapOne(raw: unknown, index: number, ctx: IngestContext, resolveTimeoutMs: number): AlertSignal | FieldIssue[] {
  const prefix = `alerts.${index}`;
  let alert = readPostableAlert(raw);
  if (alert === undefined) {
    const parsed = postableAlertSchema.safeParse(raw);
    if (!parsed.success) return zodIssues(parsed.error, prefix);
    alert = parsed.data;
  }

  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(alert.labels)) if (value !== '') labels[name] = value;
  const issues: FieldIssue[] = [];
  if (Object.keys(labels).length === 0) issues.push({ field: `${prefix}.labels`, message: 'at least one label pair required' });
  if (Object.hasOwn(labels, '')) issues.push({ field: `${prefix}.labels`, message: 'label names must not be empty' });

  const endsAt = alert.endsAt ?? null;
  const startsAt = alert.startsAt ?? endsAt ?? ctx.now;
  // No endsAt: the alert expires after resolve_timeout unless the client re-posts it.
  const effectiveEnd = endsAt ?? ctx.now + resolveTimeoutMs;
  if (endsAt !== null && endsAt < startsAt) issues.push({ field: `${prefix}.endsAt`, message: 'end time must not be before start time' });
  if (issues.length > 0) return issues;

  const { annotations } = alert;
  const dedupKey = fingerprint(labels);
  return {
    dedupKey,
    lookup: 'dedup-key',
    action: effectiveEnd <= ctx.now ? 'resolve' : 'trigger',
    summary: firstText([annotations.summary, annotations.title, annotations.message, labels.alertname], dedupKey),
    description: emptyToNull(annotations.description),
    severity: emptyToNull(labels.severity),
    source: emptyToNull(labels.instance) ?? emptyToNull(labels.job),
    labels,
    annotations,
    tags: [],
    startedAt: startsAt,
    endedAt: effectiveEnd,
    generatorUrl: emptyToNull(alert.generatorURL),
    runbookUrl: pickRunbookUrl(annotations),
    groupKey: null,
    details: { ...(raw as object), endsAtFromTimeout: endsAt === null },
    ...(effectiveEnd > ctx.now ? { expiresAt: effectiveEnd } : {}),
  };
}

export function mapAlertmanagerApi(body: unknown, ctx: IngestContext): IngestResult {
  const items = Array.isArray(body) ? (body as unknown[]) : parseOrThrow(postableAlertsSchema, body, 'alerts');
  const { resolveTimeoutMs } = ctx.settings === undefined || ctx.settings === null
    ? { resolveTimeoutMs: DEFAULT_RESOLVE_TIMEOUT_MS }
    : parseOrThrow(alertmanagerApiSettingsSchema, ctx.settings, 'settings');
  const signals: AlertSignal[] = [];
  const rejected: FieldIssue[] = [];
  items.forEach((raw, index) => {
    const mapped = mapOne(raw, index, ctx, resolveTimeoutMs);
    if (Array.isArray(mapped)) rejected.push(...mapped);
    else signals.push(mapped);
  });
  return { ...emptyResult('alertmanager-api', alertmanagerApiReply(rejected)), signals, rejected };
}
