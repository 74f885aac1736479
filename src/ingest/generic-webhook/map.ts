import { emptyToNull, pickRunbookUrl } from '../common.js';
import { fingerprint } from '../fingerprint.js';
import { emptyResult } from '../../domain/alerts/signal.js';
import type { AlertAction, AlertSignal, IngestContext, IngestResult } from '../../domain/alerts/signal.js';
import { parseTimestamp } from '../time.js';
import { validationError } from '../../core/field-issues.js';
import { resolvePath } from '../../domain/alerts/mapping-path.js';
import type { PathSegment } from '../../domain/alerts/mapping-path.js';
import { parseGenericMapping } from '../../domain/alerts/generic-mapping.js';
import type { GenericMapping } from '../../domain/alerts/generic-mapping.js';


function text(value: unknown): string | null {
  if (typeof value === 'string') return emptyToNull(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function pick(item: unknown, segments: readonly PathSegment[] | undefined): unknown {
  return segments === undefined ? undefined : resolvePath(item, segments);
}

function labelsOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const labels: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const t = text(v);
    if (t !== null) labels[key] = t;
  }
  return labels;
}

function timeOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e12 ? Math.round(value * 1000) : value;
  if (typeof value === 'string') return parseTimestamp(value) ?? null;
  return null;
}

function actionOf(value: unknown, mapping: GenericMapping): AlertAction {
  const status = text(value)?.toLowerCase();
  if (status === undefined) return 'trigger';
  if (mapping.resolvedValues.includes(status)) return 'resolve';
  if (mapping.acknowledgedValues.includes(status)) return 'acknowledge';
  return 'trigger';
}

function mapItem(item: unknown, mapping: GenericMapping, ctx: IngestContext): AlertSignal {
  const labels = labelsOf(pick(item, mapping.labels));
  const summary = text(pick(item, mapping.summary)) ?? 'Webhook alert';
  const action = actionOf(pick(item, mapping.status), mapping);
  return {
    // Without a sender key the identity must come from stable content, never from time.
    dedupKey: text(pick(item, mapping.dedupKey)) ?? fingerprint(Object.keys(labels).length > 0 ? labels : { summary }),
    lookup: 'dedup-key',
    action,
    summary,
    description: text(pick(item, mapping.description)),
    severity: text(pick(item, mapping.severity)),
    source: text(pick(item, mapping.source)),
    labels,
    annotations: {},
    tags: [],
    startedAt: timeOf(pick(item, mapping.startedAt)) ?? (action === 'trigger' ? ctx.now : null),
    endedAt: action === 'resolve' ? ctx.now : null,
    generatorUrl: text(pick(item, mapping.url)),
    runbookUrl: text(pick(item, mapping.runbookUrl)) ?? pickRunbookUrl(labels),
    groupKey: null,
    details: item,
  };
}

/** `ctx.settings` is the integration's mapping (validated again here; it is cheap). */
export function mapGenericWebhook(body: unknown, ctx: IngestContext): IngestResult {
  if (ctx.settings === undefined || ctx.settings === null) {
    throw validationError([{ field: 'mapping', message: 'the integration has no field mapping configured' }]);
  }
  const mapping = parseGenericMapping(ctx.settings);
  if (typeof body !== 'object' || body === null) {
    throw validationError([{ field: 'body', message: 'expected a JSON object or array' }]);
  }
  let items: unknown[] = [body];
  if (mapping.items !== undefined) {
    const found = resolvePath(body, mapping.items);
    if (!Array.isArray(found)) {
      throw validationError([{ field: 'body', message: 'the mapping\'s "items" path does not point at an array' }]);
    }
    items = found;
  }
  const signals = items.map((item) => mapItem(item, mapping, ctx));
  return {
    ...emptyResult('generic-webhook', { status: 202, body: { status: 'accepted', alerts: signals.length } }),
    signals,
  };
}
