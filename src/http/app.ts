import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { systemActor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { randomToken } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Ctx } from '../domain/context.js';
import type { IncidentHook } from '../domain/incidents/hooks.js';
import type { IngestDefaults } from '../ingest/ingest-limits.js';
import { registerIncidentMetrics } from '../observability/incident-metrics.js';
import { Counter, Histogram, type MetricsRegistry } from '../observability/metrics.js';
import type { Store } from '../store/index.js';
import { authenticateRequest, type RequestAuth } from './auth.js';
import { DEFAULT_HTTP_LIMITS, fastifyConnectionOptions, type HttpLimits } from './connection-limits.js';
import { logAccess } from './access-log.js';
import { errorHandler } from './errors.js';
import { HealthRegistry } from './health.js';
import { RouteTable } from './route.js';
import { installStorableInput } from './storable-input.js';
import { registerApiKeyRoutes } from './routes/api-keys.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerActionItemRoutes } from './routes/action-items.js';
import { registerChecklistRoutes } from './routes/checklists.js';
import { registerIncidentRoleRoutes } from './routes/incident-roles.js';
import { registerUpdateRoutes } from './routes/updates.js';
import { registerPostmortemRoutes } from './routes/postmortems.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerIngestRoutes } from './routes/ingest.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerRunbookRoutes } from './routes/runbooks.js';
import { registerRunbookPlanRoutes } from './routes/runbook-plan.js';
import { registerRunnerRoutes } from './routes/runners.js';
import { registerServiceRoutes } from './routes/services.js';
import { registerSeverityRoutes } from './routes/severities.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerTeamRoutes } from './routes/teams.js';
import { registerUserRoutes } from './routes/users.js';
import { registerStatusPageRoutes } from './routes/status-pages.js';
import { registerMaintenanceRoutes } from './routes/maintenances.js';
import { registerPublicRoutes } from './public/public-routes.js';
import { createPublicSurface } from './public/public-surface.js';

export interface AppDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  metrics: MetricsRegistry;
  health?: HealthRegistry;
  publicUrl: string;
  version: string;
  /** Built web UI to serve at `/`; omitted in API-only tests. */
  webRoot?: string | null;
  secureCookies?: boolean;
  /**
   * Proxies whose X-Forwarded-* headers are believed (FIREBREAK_TRUSTED_PROXIES); none by default,
   * so `request.ip` is the socket's peer and a client cannot forge it.
   */
  trustedProxies?: readonly string[];
  /** One info line per request (access-log.ts); off unless asked for, so tests and benches stay quiet. */
  accessLog?: boolean;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /**
   * Check every answer against its route's response schema (route.ts) and fail loudly on a
   * mismatch. The test suite turns it on so the schemas the web client is generated from stay
   * honest; never on in production (answers are not rewritten either way).
   */
  checkResponses?: boolean;
  /** Status pages changed through this instance's API (the public edge thread forgets its answers too). */
  onPublicChange?: () => void;
  /** Extra route groups from other roles (ingest, status page) registered on the same server. */
  extraRoutes?: ((app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx) => void)[];
  /** Reactions to incident changes (paging, runbooks), run inside each change's transaction. */
  incidentHooks?: readonly IncidentHook[];
  /** Connection timeouts (connection-limits.ts); defaults to DEFAULT_HTTP_LIMITS. */
  httpLimits?: HttpLimits;
  /** Instance-wide ingest defaults: per-integration rate limit and storm guard (routes/ingest.ts). */
  ingestDefaults?: IngestDefaults;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
  }
}

// Images from anywhere over http(s): alerts attach graphs (PagerDuty `images`, Grafana `imageURL`)
// hosted by their sender; the page loads them with no referrer, and only from http(s) URLs.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The HTTP app with every dependency injected; tests call `app.inject()` without a socket.
 * Errors become responses only in the error handler below.
 */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; routes: RouteTable; health: HealthRegistry }> {
  // Request ids only need to be unique, not secret: a per-process prefix and a counter, instead of
  // reading the CPRNG on every request (measurable at tens of thousands of alert posts a second).
  const publicSurface = await createPublicSurface(deps.store, deps.log);
  const publicCache = publicSurface.cache;
  const publicChanged = async () => {
    await publicSurface.changed();
    deps.onPublicChange?.();
  };
  const reqIdPrefix = `req_${randomToken(6)}`;
  let reqCounter = 0;
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    genReqId: () => `${reqIdPrefix}${(reqCounter++).toString(36)}`,
    trustProxy: deps.trustedProxies && deps.trustedProxies.length > 0 ? [...deps.trustedProxies] : false,
    // Deeply nested JSON must not blow the stack or burn CPU.
    forceCloseConnections: true,
    // A custom host name of a status page serves that page at its root (routes are path-based).
    rewriteUrl: (req) => publicSurface.rewriteUrl(req),
    ...fastifyConnectionOptions(deps.httpLimits ?? DEFAULT_HTTP_LIMITS),
  });
  publicSurface.installFastPath(app);
  const routes = new RouteTable({ checkResponses: deps.checkResponses ?? false });
  const health = deps.health ?? new HealthRegistry();
  health.register('store', async () => ({ ...(await deps.store.health.check()) }));
  const requests = deps.metrics.register(new Counter('http_requests_total', 'HTTP requests by route, method and status.'));
  const latency = deps.metrics.register(new Histogram('http_request_duration_seconds', 'HTTP request latency.', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]));
  registerIncidentMetrics(deps.metrics, { store: deps.store, clock: deps.clock, log: deps.log });

  installStorableInput(app);
  app.decorateRequest('auth', null as unknown as RequestAuth);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('content-security-policy', CSP);
    req.auth = { actor: null, session: null };
  });
  app.addHook('preHandler', async (req) => {
    const url = req.routeOptions.url ?? '';
    // Ingest endpoints under /api (Alertmanager's /api/v2/alerts) authenticate with integration keys.
    if (url.startsWith('/api/') && !(req.routeOptions.config as { ingest?: boolean }).ingest) req.auth = await authenticateRequest(req, deps.store, deps.clock);
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    latency.observe(reply.elapsedTime / 1000, { method: req.method, route });
    if (deps.accessLog) logAccess(deps.log, req, reply);
  });

  app.setErrorHandler(errorHandler(deps));

  const buildCtx = (req: FastifyRequest): Ctx => ({
    actor: req.auth?.actor ?? systemActor('anonymous'),
    clock: deps.clock,
    log: deps.log,
    requestId: req.id,
    store: deps.store,
    ip: req.ip,
    incidentHooks: deps.incidentHooks ?? [],
  });

  registerSystemRoutes(app, routes, buildCtx, { ...deps, health });
  registerAuthRoutes(app, routes, buildCtx, { secureCookies: deps.secureCookies ?? deps.publicUrl.startsWith('https://') });
  registerIncidentRoutes(app, routes, buildCtx, deps);
  registerSeverityRoutes(app, routes, buildCtx);
  registerApiKeyRoutes(app, routes, buildCtx);
  registerIngestRoutes(app, routes, buildCtx, deps);
  registerUserRoutes(app, routes, buildCtx, deps.publicUrl);
  registerTeamRoutes(app, routes, buildCtx);
  registerServiceRoutes(app, routes, buildCtx);
  registerChecklistRoutes(app, routes, buildCtx);
  registerIncidentRoleRoutes(app, routes, buildCtx);
  registerActionItemRoutes(app, routes, buildCtx);
  registerUpdateRoutes(app, routes, buildCtx, deps);
  registerPostmortemRoutes(app, routes, buildCtx);
  registerAuditRoutes(app, routes, buildCtx);
  // Before the runbook routes: /runbooks/import/plan is not a runbook called 'import'.
  registerRunbookPlanRoutes(app, routes, buildCtx);
  registerRunbookRoutes(app, routes, buildCtx);
  registerRunnerRoutes(app, routes, buildCtx);
  registerStatusPageRoutes(app, routes, buildCtx, { onChange: publicChanged });
  registerMaintenanceRoutes(app, routes, buildCtx, deps);
  registerPublicRoutes(app, routes, buildCtx, { ...deps, cache: publicCache });
  // Changes through this instance's API (an incident's status, a stakeholder update) show on its
  // public pages at once; ingest traffic does not clear the cache (the herd keeps its hits).
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'GET' && reply.statusCode < 400 && (req.routeOptions.url ?? '').startsWith('/api/v1/') && !(req.routeOptions.config as { ingest?: boolean }).ingest) {
      publicCache.clear();
      deps.onPublicChange?.();
    }
  });
  registerReportRoutes(app, routes, buildCtx);
  for (const extra of deps.extraRoutes ?? []) extra(app, routes, buildCtx);

  const webRoot = deps.webRoot;
  if (webRoot && existsSync(join(webRoot, 'index.html'))) {
    // Loaded only when there is a UI to serve (an API- or ingest-only process never needs it).
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    const wantsPage = req.method === 'GET' && !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
    if (wantsPage && webRoot && existsSync(join(webRoot, 'index.html'))) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).send({ code: 'NOT_FOUND', message: `no route for ${req.method} ${req.url.split('?')[0]}`, requestId: req.id });
  });

  return { app, routes, health };
}
