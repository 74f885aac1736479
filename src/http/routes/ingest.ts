import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../core/errors.js';
import { storableParsedJson } from '../../core/storable-text.js';
import type { Ctx } from '../../domain/context.js';
import { fingerprint } from '../../ingest/fingerprint.js';
import { verifyGrafanaSignature, type HeaderBag } from '../../ingest/grafana-webhook/signature.js';
import { IngestService, type ResolvedIntegration } from '../../ingest/ingest-service.js';
import { QueueFullError } from '../../ingest/ingest-queue.js';
import { parseGenieKey } from '../../ingest/opsgenie/map.js';
import { IngestRateLimiter, type RateLimit } from '../../ingest/ingest-limits.js';
import { readRoutingKey, scanRoutingKeys } from '../../ingest/pagerduty-events-v2/map.js';
import { pagerDutyUnrecognized } from '../../ingest/pagerduty-events-v2/responses.js';
import { ingestRegistry } from '../../ingest/registry.js';
import type { IngestContext, IngestFormat, IngestResult } from '../../domain/alerts/signal.js';
import { emptyResult } from '../../domain/alerts/signal.js';
import type { AppDeps } from '../app.js';
import { normaliseError, toHttp } from '../errors.js';
import type { RouteTable } from '../route.js';
import { registerAlertAdminRoutes } from './alert-admin.js';
import { registerOpsgenieReads, withOpsgenieRequestId } from './opsgenie-reads.js';

/**
 * The vendor endpoints, each answering exactly as its sender expects (registry.ts lists them).
 * They live in their own Fastify context whose body parser keeps the raw bytes (Grafana's HMAC
 * is over them, and the raw payload is stored); the handler parses them once the key is known,
 * and turns bad JSON into the vendor's own error. A key in the path or a header is checked (with
 * the integration's rate limit) before the body is read at all. The status decides whether a
 * sender retries: 2xx only after commit; overload, rate limit and database trouble are 5xx for
 * Alertmanager-family senders (they never retry 4xx), 429 for the others, which retry it.
 */

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** Per-sender body limits: PD caps events at 512 kB; grouped AM payloads can be large. */
const LIMITS = { pagerduty: 512 * 1024, opsgenie: 1024 * 1024, large: 16 * 1024 * 1024, small: 1024 * 1024 };

const services = new WeakMap<FastifyInstance, IngestService>();

/** The app's ingest pipeline, for the heartbeat checker started next to it. */
export function ingestServiceOf(app: FastifyInstance): IngestService | undefined {
  return services.get(app);
}

const RETRIES_429: ReadonlySet<IngestFormat> = new Set(['pagerduty-events-v2', 'opsgenie']);

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Alertmanager API clients send the key as Bearer, Basic password, or X-Api-Key. */
function bearerOrBasicKey(req: FastifyRequest): string | null {
  const auth = headerValue(req, 'authorization')?.trim() ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+(\S+)$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  return headerValue(req, 'x-api-key') ?? null;
}

const unknownKey = (): AppError => new AppError('UNAUTHORIZED', 'unknown, revoked or disabled integration key');

/** The integration's requests beyond its rate limit: each sender's own "retry later". */
function rateLimited(format: IngestFormat, seconds: number, limit: RateLimit): AppError {
  const message = `this integration's rate limit (${limit.perSecond}/s, burst ${limit.burst}) is exceeded; retry later`;
  const retryAfterSeconds = Math.max(1, Math.ceil(seconds));
  // Alertmanager retries only 5xx; every other sender retries 429.
  return ALERTMANAGER_FAMILY.has(format) ? new AppError('UNAVAILABLE', message, { retryAfterSeconds }) : new AppError('LIMIT_EXCEEDED', message, { retryAfterSeconds });
}

const ALERTMANAGER_FAMILY: ReadonlySet<IngestFormat> = new Set(['alertmanager-webhook', 'alertmanager-api']);

/**
 * A PagerDuty body (at most 512 kB) from a sender whose scanned routing keys are all unknown is
 * parsed only up to this size, so the answer is PagerDuty's own for junk; a larger one is
 * turned away unparsed.
 */
const PD_PARSE_UNAUTHENTICATED = 64 * 1024;

/** What each ingest route declares: its format, and where its key is (null: in the body). */
interface IngestRouteConfig {
  ingest: true;
  format: IngestFormat | 'heartbeat';
  keyOf: ((req: FastifyRequest) => string | null) | null;
  context: (req: FastifyRequest) => Partial<IngestContext>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the ingest routes' onRequest hook once the key is known and admitted. */
    ingestIntegration?: ResolvedIntegration;
  }
}

export function registerIngestRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: AppDeps): void {
  const service = new IngestService({ store: deps.store, clock: deps.clock, log: deps.log, incidentHooks: deps.incidentHooks, ...(deps.ingestDefaults ? { defaults: deps.ingestDefaults } : {}) });
  const limiter = new IngestRateLimiter();
  services.set(app, service);
  app.addHook('onClose', async () => service.close());
  registerAlertAdminRoutes(app, table, buildCtx, deps, service);

  /** The key's integration if it may post this format now; throws the sender's 401 or retry-later. */
  const admit = async (format: IngestFormat | 'heartbeat', key: string | null): Promise<ResolvedIntegration> => {
    const integration = key ? await service.integrationByKey(key) : null;
    if (!integration || integration.disabled || integration.format !== format) throw unknownKey();
    const limit = integration.settings.rateLimit;
    if (limit) {
      const wait = limiter.take(integration.id, limit);
      if (wait > 0) throw rateLimited(format === 'heartbeat' ? 'generic-webhook' : format, wait, limit);
    }
    return integration;
  };

  void app.register(async (ingest) => {
    ingest.removeAllContentTypeParsers();
    // The body is kept as received (Grafana's HMAC is over it, and it is stored) and parsed by
    // the handler, after the key was checked: a stranger's body is never parsed.
    ingest.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
      req.rawBody = typeof body === 'string' ? body : body.toString('utf8');
      done(null, undefined);
    });

    // Where the key is outside the body (path, header), it is checked before the body is read:
    // an unknown key or a sender over its rate limit costs neither the read nor a parse.
    ingest.addHook('onRequest', async (req, reply) => {
      const route = req.routeOptions.config as unknown as IngestRouteConfig;
      if (!route.keyOf) return;
      try {
        req.ingestIntegration = await admit(route.format, route.keyOf(req));
      } catch (error) {
        return sendError(req, reply, errorFormat(route.format), error, { now: deps.clock.now(), ...route.context(req) });
      }
    });

    const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const route = req.routeOptions.config as unknown as IngestRouteConfig;
      const format = route.format as IngestFormat;
      const entry = ingestRegistry[format];
      const now = deps.clock.now();
      const ctx: IngestContext = { now, ...route.context(req) };
      const raw = req.rawBody ?? '';
      try {
        let integration = req.ingestIntegration;
        // The key the sender used, so its copies are redacted from what is stored (redactRawPayload).
        let key = route.keyOf ? route.keyOf(req) : null;
        let body: { ok: boolean; value?: unknown } | null = null;
        if (!integration) {
          // PagerDuty: the routing key is in the body. Look for it without parsing first.
          for (const candidate of scanRoutingKeys(raw)) {
            const found = await service.integrationByKey(candidate);
            if (found && !found.disabled && found.format === format) {
              integration = found;
              key = candidate;
              break;
            }
          }
          if (!integration && raw.length > PD_PARSE_UNAUTHENTICATED) throw unknownKey();
          body = parseJson(raw);
          // PagerDuty answers unparseable JSON before it can look for a routing key.
          if (!body.ok) return send(reply, pagerDutyUnrecognized());
          key = readRoutingKey(body.value);
          integration = await admit(format, key);
        }
        req.ingestIntegration = integration;
        if (format === 'grafana-webhook' && integration.settings.hmac !== undefined) {
          verifyGrafanaSignature(integration.settings.hmac as Parameters<typeof verifyGrafanaSignature>[0], req.headers as HeaderBag, raw, now);
        }
        body ??= parseJson(raw);
        if (!body.ok) {
          throw new AppError('VALIDATION', 'body: is not valid JSON', { issues: [{ field: 'body', message: 'is not valid JSON' }] });
        }
        ctx.settings = format === 'generic-webhook' ? integration.settings.mapping : format === 'alertmanager-api' ? (integration.settings.resolveTimeoutMs ? { resolveTimeoutMs: integration.settings.resolveTimeoutMs } : undefined) : undefined;
        const result = entry.parse(body.value, ctx);
        const outcome = await service.submitReceived({ integration, result, rawBody: raw }, key);
        // Opsgenie's requestId names the stored request, so GET /v2/alerts/requests/{id} finds it.
        return send(reply, format === 'opsgenie' ? withOpsgenieRequestId(result.reply, outcome.rawPayloadId) : result.reply);
      } catch (error) {
        return sendError(req, reply, format, error, ctx);
      }
    };

    const send = (reply: FastifyReply, answer: { status: number; body: unknown }): FastifyReply => {
      reply.code(answer.status);
      if (answer.body === null || answer.body === undefined) return reply.send('');
      return reply.type('application/json').send(JSON.stringify(answer.body));
    };

    const sendError = (req: FastifyRequest, reply: FastifyReply, format: IngestFormat, error: unknown, ctx: IngestContext): FastifyReply => {
      let appError = normaliseError(error, (e) => deps.store.health.reportFailure(e));
      if (!appError) {
        deps.log.error('ingest', 'unhandled error', { requestId: req.id, format, error: (error as Error).stack ?? String(error) });
        // Still a 5xx: every sender retries it, and the alert is not lost.
        appError = new AppError('INTERNAL', 'internal error; the sender should retry');
      }
      if (appError instanceof QueueFullError || (appError.code === 'UNAVAILABLE' && isAppError(error))) {
        appError = RETRIES_429.has(format)
          ? new AppError('LIMIT_EXCEEDED', appError.message, { retryAfterSeconds: appError.retryAfterSeconds ?? 1 })
          : appError;
      }
      const vendor = appError.code === 'VALIDATION' || appError.code === 'UNAUTHORIZED' || appError.code === 'LIMIT_EXCEEDED' ? ingestRegistry[format].errorReply(appError, ctx) : null;
      if (appError.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(appError.retryAfterSeconds)));
      if (vendor && vendor.status < 500) return send(reply, vendor);
      const { status, body } = toHttp(appError, req.id);
      if (format === 'pagerduty-events-v2' && status >= 429) {
        return send(reply, { status, body: { status: status === 429 ? 'throttled' : 'error', message: appError.message, errors: [appError.message] } });
      }
      return reply.code(status).send(body);
    };

    const keyParam = (req: FastifyRequest): string => (req.params as { key?: string }).key ?? '';
    const genie = (req: FastifyRequest): string | null => parseGenieKey(headerValue(req, 'authorization'));
    const none = (): Partial<IngestContext> => ({});
    const route = (format: IngestRouteConfig['format'], keyOf: IngestRouteConfig['keyOf'], context: IngestRouteConfig['context'] = none): { config: IngestRouteConfig } => ({
      config: { ingest: true, format, keyOf, context },
    });
    const ogContext = (endpoint: string) => (req: FastifyRequest): Partial<IngestContext> => ({
      endpoint,
      identifier: (req.params as { identifier?: string }).identifier,
      identifierType: (req.query as { identifierType?: string }).identifierType,
    });

    ingest.post('/ingest/alertmanager/:key', { bodyLimit: LIMITS.large, ...route('alertmanager-webhook', keyParam) }, handle);
    for (const method of ['POST', 'PUT'] as const) {
      ingest.route({ method, url: '/ingest/grafana/:key', bodyLimit: LIMITS.large, ...route('grafana-webhook', keyParam), handler: handle });
    }
    ingest.post('/ingest/generic/:key', { bodyLimit: LIMITS.small, ...route('generic-webhook', keyParam) }, handle);
    ingest.post('/v2/enqueue', { bodyLimit: LIMITS.pagerduty, ...route('pagerduty-events-v2', null, () => ({ endpoint: 'enqueue' })) }, handle);
    ingest.post('/v2/change/enqueue', { bodyLimit: LIMITS.pagerduty, ...route('pagerduty-events-v2', null, () => ({ endpoint: 'change' })) }, handle);
    ingest.post('/v2/alerts', { bodyLimit: LIMITS.opsgenie, ...route('opsgenie', genie, ogContext('create')) }, handle);
    ingest.post('/v2/alerts/:identifier/close', { bodyLimit: LIMITS.opsgenie, ...route('opsgenie', genie, ogContext('close')) }, handle);
    ingest.post('/v2/alerts/:identifier/acknowledge', { bodyLimit: LIMITS.opsgenie, ...route('opsgenie', genie, ogContext('acknowledge')) }, handle);
    ingest.put('/v2/alerts/:identifier/message', { bodyLimit: LIMITS.opsgenie, ...route('opsgenie', genie, ogContext('message')) }, handle);
    ingest.put('/v2/alerts/:identifier/description', { bodyLimit: LIMITS.opsgenie, ...route('opsgenie', genie, ogContext('description')) }, handle);
    ingest.post('/v2/alerts/:identifier/notes', { bodyLimit: LIMITS.opsgenie, ...route('opsgenie', genie, ogContext('notes')) }, handle);
    registerOpsgenieReads(ingest, deps, route('opsgenie', genie), (req, reply, error) => sendError(req, reply, 'opsgenie', error, { now: deps.clock.now() }));
    ingest.post('/api/v2/alerts', { bodyLimit: LIMITS.large, ...route('alertmanager-api', bearerOrBasicKey) }, handle);

    // Heartbeat pings: record the ping and resolve a "missed heartbeat" alert if one is open.
    ingest.route({
      method: ['POST', 'GET'],
      url: '/ingest/heartbeat/:key',
      bodyLimit: LIMITS.small,
      ...route('heartbeat', keyParam),
      handler: async (req, reply) => {
        try {
          const key = keyParam(req);
          const integration = req.ingestIntegration!;
          const now = deps.clock.now();
          await service.submitReceived({ integration, result: heartbeatResult(integration, 'resolve', now, now), rawBody: req.rawBody ?? '', heartbeatAt: now }, key);
          return reply.code(200).send({ status: 'ok' });
        } catch (error) {
          return sendError(req, reply, 'generic-webhook', error, { now: deps.clock.now() });
        }
      },
    });
  });
}

/** Heartbeats answer in the generic webhook's shape. */
const errorFormat = (format: IngestRouteConfig['format']): IngestFormat => (format === 'heartbeat' ? 'generic-webhook' : format);

/** Parsed with NUL and lone surrogates made storable (docs/ingest-formats.md), the same on both databases. */
function parseJson(text: string): { ok: boolean; value?: unknown } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: storableParsedJson(text, JSON.parse(text)) };
  } catch {
    return { ok: false };
  }
}

export const HEARTBEAT_DEDUP_KEY = 'heartbeat-missed';

/** The signal a heartbeat integration produces: a missed ping fires, a ping resolves. */
export function heartbeatResult(integration: ResolvedIntegration, action: 'trigger' | 'resolve', now: number, since: number): IngestResult {
  const labels = { alertname: 'HeartbeatMissed', integration: integration.name };
  return {
    ...emptyResult('generic-webhook', { status: 200, body: null }),
    signals: [{
      dedupKey: HEARTBEAT_DEDUP_KEY, lookup: 'dedup-key', action,
      summary: `Heartbeat missed: ${integration.name} has not pinged since ${new Date(since).toISOString()}`,
      description: null, severity: 'critical', source: integration.name, labels, annotations: {}, tags: [],
      startedAt: action === 'trigger' ? since : null, endedAt: action === 'resolve' ? now : null,
      generatorUrl: null, runbookUrl: null, groupKey: `heartbeat:${fingerprint(labels)}`, details: null,
    }],
  };
}
