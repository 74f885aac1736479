import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../core/errors.js';
import type { Ctx } from '../../domain/context.js';
import { fingerprint } from '../../ingest/fingerprint.js';
import { verifyGrafanaSignature, type HeaderBag } from '../../ingest/grafana-webhook/signature.js';
import { IngestService, type ResolvedIntegration } from '../../ingest/ingest-service.js';
import { QueueFullError } from '../../ingest/ingest-queue.js';
import { parseGenieKey } from '../../ingest/opsgenie/map.js';
import { readRoutingKey } from '../../ingest/pagerduty-events-v2/map.js';
import { pagerDutyUnrecognized } from '../../ingest/pagerduty-events-v2/responses.js';
import { ingestRegistry } from '../../ingest/registry.js';
import type { IngestContext, IngestFormat, IngestResult } from '../../ingest/signal.js';
import { emptyResult } from '../../ingest/signal.js';
import type { AppDeps } from '../app.js';
import { normaliseError, toHttp } from '../errors.js';
import type { RouteTable } from '../route.js';
import { registerAlertAdminRoutes } from './alert-admin.js';

/**
 * The vendor endpoints, each answering exactly as its sender expects (registry.ts lists them).
 * They live in their own Fastify context whose body parser keeps the raw bytes (Grafana's HMAC
 * is over them, and the raw payload is stored) and turns bad JSON into the vendor's own error.
 * The status decides whether a sender retries: 2xx only after commit; overload and database
 * trouble are 5xx for Alertmanager-family senders (they never retry 4xx), 429 for PagerDuty
 * and Opsgenie senders, which retry it.
 */

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
    jsonInvalid?: boolean;
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

export function registerIngestRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, deps: AppDeps): void {
  const service = new IngestService({ store: deps.store, clock: deps.clock, log: deps.log, incidentHooks: (deps as { incidentHooks?: Ctx['incidentHooks'] }).incidentHooks });
  services.set(app, service);
  app.addHook('onClose', async () => service.close());
  registerAlertAdminRoutes(app, table, buildCtx, deps, service);

  void app.register(async (ingest) => {
    ingest.removeAllContentTypeParsers();
    ingest.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      req.rawBody = text;
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        req.jsonInvalid = true;
        done(null, undefined);
      }
    });

    const handle = async (req: FastifyRequest, reply: FastifyReply, format: IngestFormat, key: string | null, pctx: Partial<IngestContext>): Promise<FastifyReply> => {
      const entry = ingestRegistry[format];
      const now = deps.clock.now();
      const ctx: IngestContext = { now, ...pctx };
      try {
        // PagerDuty answers unparseable JSON before it can look for a routing key.
        if (req.jsonInvalid && format === 'pagerduty-events-v2') return send(reply, pagerDutyUnrecognized());
        const integration = key ? await service.integrationByKey(key) : null;
        if (!integration || integration.disabled || integration.format !== format) throw unknownKey();
        if (format === 'grafana-webhook' && integration.settings.hmac !== undefined) {
          verifyGrafanaSignature(integration.settings.hmac as Parameters<typeof verifyGrafanaSignature>[0], req.headers as HeaderBag, req.rawBody ?? '', now);
        }
        if (req.jsonInvalid) {
          throw new AppError('VALIDATION', 'body: is not valid JSON', { issues: [{ field: 'body', message: 'is not valid JSON' }] });
        }
        ctx.settings = format === 'generic-webhook' ? integration.settings.mapping : format === 'alertmanager-api' ? (integration.settings.resolveTimeoutMs ? { resolveTimeoutMs: integration.settings.resolveTimeoutMs } : undefined) : undefined;
        const result = entry.parse(req.body, ctx);
        await service.submitReceived({ integration, result, rawBody: req.rawBody ?? '' }, key);
        return send(reply, result.reply);
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
      let appError = normaliseError(error, (e) => deps.store.dialect.isTransient(e));
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
      const vendor = appError.code === 'VALIDATION' || appError.code === 'UNAUTHORIZED' ? ingestRegistry[format].errorReply(appError, ctx) : null;
      if (appError.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(appError.retryAfterSeconds)));
      if (vendor && vendor.status < 500) return send(reply, vendor);
      const { status, body } = toHttp(appError, req.id);
      if (format === 'pagerduty-events-v2' && status >= 429) {
        return send(reply, { status, body: { status: status === 429 ? 'throttled' : 'error', message: appError.message, errors: [appError.message] } });
      }
      return reply.code(status).send(body);
    };

    const keyParam = (req: FastifyRequest): string => (req.params as { key?: string }).key ?? '';
    const config = { ingest: true };

    ingest.post('/ingest/alertmanager/:key', { bodyLimit: LIMITS.large, config }, (req, reply) => handle(req, reply, 'alertmanager-webhook', keyParam(req), {}));
    for (const method of ['POST', 'PUT'] as const) {
      ingest.route({ method, url: '/ingest/grafana/:key', bodyLimit: LIMITS.large, config, handler: (req, reply) => handle(req, reply, 'grafana-webhook', keyParam(req), {}) });
    }
    ingest.post('/ingest/generic/:key', { bodyLimit: LIMITS.small, config }, (req, reply) => handle(req, reply, 'generic-webhook', keyParam(req), {}));
    ingest.post('/v2/enqueue', { bodyLimit: LIMITS.pagerduty, config }, (req, reply) => handle(req, reply, 'pagerduty-events-v2', readRoutingKey(req.body), { endpoint: 'enqueue' }));
    ingest.post('/v2/change/enqueue', { bodyLimit: LIMITS.pagerduty, config }, (req, reply) => handle(req, reply, 'pagerduty-events-v2', readRoutingKey(req.body), { endpoint: 'change' }));
    const genie = (req: FastifyRequest): string | null => parseGenieKey(headerValue(req, 'authorization'));
    const ogContext = (req: FastifyRequest, endpoint: string): Partial<IngestContext> => ({
      endpoint,
      identifier: (req.params as { identifier?: string }).identifier,
      identifierType: (req.query as { identifierType?: string }).identifierType,
    });
    ingest.post('/v2/alerts', { bodyLimit: LIMITS.opsgenie, config }, (req, reply) => handle(req, reply, 'opsgenie', genie(req), ogContext(req, 'create')));
    ingest.post('/v2/alerts/:identifier/close', { bodyLimit: LIMITS.opsgenie, config }, (req, reply) => handle(req, reply, 'opsgenie', genie(req), ogContext(req, 'close')));
    ingest.post('/v2/alerts/:identifier/acknowledge', { bodyLimit: LIMITS.opsgenie, config }, (req, reply) => handle(req, reply, 'opsgenie', genie(req), ogContext(req, 'acknowledge')));
    ingest.put('/v2/alerts/:identifier/message', { bodyLimit: LIMITS.opsgenie, config }, (req, reply) => handle(req, reply, 'opsgenie', genie(req), ogContext(req, 'message')));
    ingest.put('/v2/alerts/:identifier/description', { bodyLimit: LIMITS.opsgenie, config }, (req, reply) => handle(req, reply, 'opsgenie', genie(req), ogContext(req, 'description')));
    ingest.post('/api/v2/alerts', { bodyLimit: LIMITS.large, config }, (req, reply) => handle(req, reply, 'alertmanager-api', bearerOrBasicKey(req), {}));

    // Heartbeat pings: record the ping and resolve a "missed heartbeat" alert if one is open.
    ingest.route({
      method: ['POST', 'GET'],
      url: '/ingest/heartbeat/:key',
      config,
      handler: async (req, reply) => {
        try {
          const key = keyParam(req);
          const integration = await service.integrationByKey(key);
          if (!integration || integration.disabled || integration.format !== 'heartbeat') throw unknownKey();
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
