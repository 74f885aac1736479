import { randomUUID } from 'node:crypto';
import { emptyToNull } from '../common.js';
import { boundAlertContext } from '../../domain/alerts/alert-context.js';
import { emptyResult } from '../../domain/alerts/signal.js';
import type { AlertSignal, ChangeEvent, IngestContext, IngestResult } from '../../domain/alerts/signal.js';
import { parseOrThrow, validationError } from '../../core/field-issues.js';
import { pagerDutyAccepted, pagerDutyChangeAccepted } from './responses.js';
import { pdChangeEventSchema, pdEventSchema, pdPayloadSchema } from './schema.js';
import type { PagerDutyPayload } from './schema.js';

/**
 * The routing key is PagerDuty's only credential and it sits in the body, so the HTTP layer
 * reads it (to find the integration) before anything else, and we never copy it into details.
 */
export function readRoutingKey(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const key = (body as { routing_key?: unknown }).routing_key;
  return typeof key === 'string' && key !== '' ? key : null;
}

/**
 * The `routing_key` values a raw PagerDuty body may carry, found by a linear scan instead of a
 * JSON parse, so a body from someone without a key is turned away without being parsed. Every
 * `"routing_key": "…"` property counts (a nested one too: the caller re-reads the real one after
 * the parse); a key spelled with escapes in the property name is not found, which no sender does.
 */
export function scanRoutingKeys(raw: string, max = 4): string[] {
  const found: string[] = [];
  const pattern = /"routing_key"\s*:\s*("(?:[^"\\]|\\.){1,200}")/g;
  for (let m = pattern.exec(raw); m && found.length < max; m = pattern.exec(raw)) {
    try {
      const key = JSON.parse(m[1]!) as string;
      if (!found.includes(key)) found.push(key);
    } catch {
      // Not a JSON string after all: not a key.
    }
  }
  return found;
}

function withoutRoutingKey(body: unknown): Record<string, unknown> {
  const { routing_key: _ignored, ...rest } = body as Record<string, unknown>;
  return rest;
}

/**
 * Alertmanager ≥ 0.30 sends `custom_details.firing` as an array of alert objects; the labels
 * every firing alert shares are the best labels we can offer to routing and runbook matchers.
 * Older AM sends a text block there, which yields nothing.
 */
export function commonLabelsOfFiring(customDetails: unknown): Record<string, string> {
  if (typeof customDetails !== 'object' || customDetails === null) return {};
  const firing = (customDetails as { firing?: unknown }).firing;
  if (!Array.isArray(firing) || firing.length === 0) return {};
  let common: Record<string, string> | null = null;
  for (const alert of firing) {
    const labels = typeof alert === 'object' && alert !== null ? (alert as { labels?: unknown }).labels : undefined;
    if (typeof labels !== 'object' || labels === null) return {};
    const current: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') current[k] = v;
    if (common === null) common = current;
    else for (const k of Object.keys(common)) if (common[k] !== current[k]) delete common[k];
  }
  return common ?? {};
}

function runbookFromLinks(links: readonly { href: string; text?: string | undefined }[] | undefined): string | null {
  const link = links?.find((l) => /runbook/i.test(l.text ?? '') || /runbook/i.test(l.href));
  return link ? link.href : null;
}

export function mapPagerDutyEvent(body: unknown, ctx: IngestContext): IngestResult {
  const event = parseOrThrow(pdEventSchema, body);
  const newUuid = ctx.newUuid ?? randomUUID;
  const given = event.dedup_key?.trim() ? event.dedup_key : undefined;
  // PD generates a key for a keyless trigger and returns it; the caller needs it to resolve later.
  const dedupKey = given ?? newUuid();

  // ack/resolve may carry a payload too; use it when it is valid, ignore it otherwise.
  const payloadResult = event.payload === undefined ? undefined : pdPayloadSchema.safeParse(event.payload);
  const payload: PagerDutyPayload | undefined = payloadResult?.success ? payloadResult.data : undefined;
  if (event.event_action === 'trigger' && payload === undefined) {
    // Unreachable after the schema's own check; keeps the types honest.
    throw validationError([{ field: 'payload', message: 'is required for trigger' }]);
  }

  const labels = commonLabelsOfFiring(payload?.custom_details);
  for (const key of ['component', 'group', 'class'] as const) {
    const value = emptyToNull(payload?.[key]);
    if (value !== null && !(key in labels)) labels[key] = value;
  }

  const signal: AlertSignal = {
    dedupKey,
    lookup: 'dedup-key',
    action: event.event_action,
    summary: payload?.summary ?? `PagerDuty ${event.event_action} for ${dedupKey}`,
    description: null,
    severity: payload?.severity ?? null,
    source: emptyToNull(payload?.source),
    labels,
    annotations: {},
    tags: [],
    // PD: a trigger without timestamp happened when we received it.
    startedAt: event.event_action === 'trigger' ? (payload?.timestamp ?? ctx.now) : null,
    endedAt: event.event_action === 'resolve' ? ctx.now : null,
    generatorUrl: emptyToNull(event.client_url),
    runbookUrl: runbookFromLinks(event.links),
    groupKey: null,
    details: withoutRoutingKey(body),
    // Only a trigger says what the alert is; an acknowledge or resolve keeps what it said.
    ...(event.event_action === 'trigger'
      ? {
          context: boundAlertContext({
            links: (event.links ?? []).map((l) => ({ kind: /runbook/i.test(l.text ?? '') ? 'runbook' as const : 'link' as const, href: l.href, text: l.text })),
            images: event.images ?? [],
            customDetails: payload?.custom_details,
          }),
        }
      : {}),
  };
  return { ...emptyResult('pagerduty-events-v2', pagerDutyAccepted(dedupKey)), signals: [signal] };
}

export function mapPagerDutyChangeEvent(body: unknown, ctx: IngestContext): IngestResult {
  const event = parseOrThrow(pdChangeEventSchema, body);
  const change: ChangeEvent = {
    summary: event.payload.summary,
    source: emptyToNull(event.payload.source),
    occurredAt: event.payload.timestamp ?? ctx.now,
    links: (event.links ?? []).map((l) => ({ href: l.href, text: emptyToNull(l.text) })),
    details: event.payload.custom_details ?? null,
  };
  return { ...emptyResult('pagerduty-events-v2', pagerDutyChangeAccepted()), changes: [change] };
}

/** Dispatches on the endpoint: `enqueue` (default) or `change`. */
export function mapPagerDuty(body: unknown, ctx: IngestContext): IngestResult {
  const endpoint = ctx.endpoint ?? 'enqueue';
  if (endpoint === 'enqueue') return mapPagerDutyEvent(body, ctx);
  if (endpoint === 'change') return mapPagerDutyChangeEvent(body, ctx);
  throw validationError([{ field: 'endpoint', message: `unknown PagerDuty endpoint ${JSON.stringify(endpoint)}` }]);
}
