import { randomUUID } from 'node:crypto';
import type { AppError } from '../../core/errors.js';
import { emptyToNull, pickRunbookUrl } from '../common.js';
import { emptyResult } from '../../domain/alerts/signal.js';
import { boundAlertContext } from '../../domain/alerts/alert-context.js';
import type { AlertLookup, AlertSignal, IngestContext, IngestReply, IngestResult } from '../../domain/alerts/signal.js';
import { parseOrThrow, validationError } from '../../core/field-issues.js';
import {
  ogAddNoteSchema,
  ogAlertActionSchema,
  ogCreateAlertSchema,
  ogIdentifierTypeSchema,
  ogUpdateDescriptionSchema,
  ogUpdateMessageSchema,
} from './schema.js';

/**
 * Opsgenie Alert API: create (`POST /v2/alerts`), close / acknowledge
 * (`POST /v2/alerts/{identifier}/{close|acknowledge}?identifierType=…`) and the two text
 * updates Alertmanager sends with `update_alerts: true` (`PUT …/message`, `PUT …/description`).
 */

export type OpsgenieEndpoint = 'create' | 'close' | 'acknowledge' | 'message' | 'description' | 'notes';
export const OPSGENIE_ENDPOINTS: readonly OpsgenieEndpoint[] = ['create', 'close', 'acknowledge', 'message', 'description', 'notes'];

/** `Authorization: GenieKey <key>` → the key; null when the header is absent or another scheme. */
export function parseGenieKey(header: string | null | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^\s*geniekey\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] ?? null) : null;
}

/** Opsgenie answers every accepted call 202 and does the work asynchronously. */
export function opsgenieAccepted(requestId: string, tookSeconds = 0): IngestReply {
  return { status: 202, body: { result: 'Request will be processed', took: tookSeconds, requestId } };
}

/** Opsgenie's error body; 422 is its status for a well-formed request with bad fields. */
export function opsgenieError(status: number, message: string, requestId: string, tookSeconds = 0): IngestReply {
  return { status, body: { message, took: tookSeconds, requestId } };
}

export function opsgenieErrorReply(error: AppError, ctx: IngestContext): IngestReply | null {
  const requestId = (ctx.newUuid ?? randomUUID)();
  if (error.code === 'VALIDATION') return opsgenieError(422, error.message, requestId);
  if (error.code === 'UNAUTHORIZED') return opsgenieError(401, 'Could not authenticate', requestId);
  if (error.code === 'LIMIT_EXCEEDED') return opsgenieError(429, error.message, requestId);
  return null;
}

const LOOKUP_BY_TYPE: Record<'id' | 'tiny' | 'alias', AlertLookup> = {
  id: 'alert-id',
  tiny: 'tiny-id',
  alias: 'dedup-key',
};

function target(ctx: IngestContext): { dedupKey: string; lookup: AlertLookup } {
  const identifier = ctx.identifier?.trim();
  if (!identifier) throw validationError([{ field: 'identifier', message: 'is required in the path' }]);
  const type = parseOrThrow(ogIdentifierTypeSchema, ctx.identifierType, 'identifierType');
  return { dedupKey: identifier, lookup: LOOKUP_BY_TYPE[type] };
}

function isUrl(text: string | undefined): boolean {
  return text !== undefined && /^https?:\/\//i.test(text);
}

export function mapOpsgenieCreate(body: unknown, ctx: IngestContext, requestId: string): IngestResult {
  const alert = parseOrThrow(ogCreateAlertSchema, body);
  const newUuid = ctx.newUuid ?? randomUUID;
  const signal: AlertSignal = {
    // Opsgenie dedups only on alias: a create without one is always a new alert.
    dedupKey: emptyToNull(alert.alias) ?? newUuid(),
    lookup: 'dedup-key',
    action: 'trigger',
    summary: alert.message,
    description: emptyToNull(alert.description),
    severity: alert.priority,
    source: emptyToNull(alert.entity) ?? (isUrl(alert.source) ? null : emptyToNull(alert.source)),
    // AM puts commonLabels into details, so details are the closest thing to labels we get.
    labels: alert.details,
    annotations: {},
    tags: alert.tags,
    startedAt: ctx.now,
    endedAt: null,
    // AM's default source is `<externalURL>/#/alerts?receiver=…`: a link, not a host.
    generatorUrl: isUrl(alert.source) ? (alert.source ?? null) : null,
    runbookUrl: pickRunbookUrl(alert.details),
    groupKey: null,
    details: body,
    context: boundAlertContext({ tags: alert.tags }),
  };
  return { ...emptyResult('opsgenie', opsgenieAccepted(requestId)), signals: [signal] };
}

function mapOpsgenieAction(
  body: unknown,
  ctx: IngestContext,
  requestId: string,
  action: 'resolve' | 'acknowledge',
): IngestResult {
  const { dedupKey, lookup } = target(ctx);
  const parsed = parseOrThrow(ogAlertActionSchema, body);
  const signal: AlertSignal = {
    dedupKey,
    lookup,
    action,
    summary: `Opsgenie ${action === 'resolve' ? 'close' : 'acknowledge'} for ${dedupKey}`,
    description: emptyToNull(parsed.note),
    severity: null,
    source: null,
    labels: {},
    annotations: {},
    tags: [],
    startedAt: null,
    endedAt: action === 'resolve' ? ctx.now : null,
    generatorUrl: isUrl(parsed.source) ? (parsed.source ?? null) : null,
    runbookUrl: null,
    groupKey: null,
    details: body ?? null,
    note: { user: emptyToNull(parsed.user), text: emptyToNull(parsed.note), action: action === 'resolve' ? 'close' : 'acknowledge' },
  };
  return { ...emptyResult('opsgenie', opsgenieAccepted(requestId)), signals: [signal] };
}

/** Dispatches on `ctx.endpoint` (default `create`). */
export function mapOpsgenie(body: unknown, ctx: IngestContext): IngestResult {
  const requestId = (ctx.newUuid ?? randomUUID)();
  const endpoint = ctx.endpoint ?? 'create';
  switch (endpoint) {
    case 'create':
      return mapOpsgenieCreate(body, ctx, requestId);
    case 'close':
      return mapOpsgenieAction(body, ctx, requestId, 'resolve');
    case 'acknowledge':
      return mapOpsgenieAction(body, ctx, requestId, 'acknowledge');
    case 'message': {
      const { dedupKey, lookup } = target(ctx);
      const { message } = parseOrThrow(ogUpdateMessageSchema, body);
      return {
        ...emptyResult('opsgenie', opsgenieAccepted(requestId)),
        updates: [{ dedupKey, lookup, summary: message, description: null }],
      };
    }
    case 'notes': {
      const { dedupKey, lookup } = target(ctx);
      const { note, user } = parseOrThrow(ogAddNoteSchema, body);
      return {
        ...emptyResult('opsgenie', opsgenieAccepted(requestId)),
        updates: [{ dedupKey, lookup, summary: null, description: null, note: { user: emptyToNull(user), text: note, action: 'note' } }],
      };
    }
    case 'description': {
      const { dedupKey, lookup } = target(ctx);
      const { description } = parseOrThrow(ogUpdateDescriptionSchema, body);
      return {
        ...emptyResult('opsgenie', opsgenieAccepted(requestId)),
        updates: [{ dedupKey, lookup, summary: null, description }],
      };
    }
    default:
      throw validationError([{ field: 'endpoint', message: `unknown Opsgenie endpoint ${JSON.stringify(endpoint)}` }]);
  }
}
