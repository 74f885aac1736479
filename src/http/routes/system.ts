import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../domain/context.js';
import type { MetricsRegistry } from '../../observability/metrics.js';
import { pendingMigrations, type Store } from '../../store/index.js';
import { STORE_RETRY_AFTER_SECONDS } from '../errors.js';
import type { HealthRegistry } from '../health.js';
import { openApiDocument, type RouteTable } from '../route.js';

export function registerSystemRoutes(
  app: FastifyInstance,
  table: RouteTable,
  _buildCtx: (req: FastifyRequest) => Ctx,
  deps: { store: Store; metrics: MetricsRegistry; health: HealthRegistry; publicUrl: string; version: string; metricsToken?: string },
): void {
  // Liveness: the process answers; which of its roles are unwell is in `checks`.
  app.get('/health', async (_req, reply) => {
    const report = await deps.health.report();
    return reply.code(report.ok ? 200 : 503).send({ status: report.ok ? 'ok' : 'degraded', version: deps.version, checks: report.checks });
  });

  // Readiness: the store answers (within a short bound, so a black-holed database gets an answer
  // too), takes writes, and the schema is current, so traffic can be sent here.
  app.get('/ready', async (_req, reply) => {
    const notReady = (store: string, detail: string) =>
      reply.code(503).header('retry-after', String(STORE_RETRY_AFTER_SECONDS)).send({ status: 'not ready', store, detail: detail.slice(0, 300) });
    try {
      const check = await deps.store.health.check();
      if (!check.ok) return notReady('failing', check.detail);
      const pending = await deps.store.health.bounded(pendingMigrations(deps.store.dialect), 'the migration check');
      if (pending.length > 0) return reply.code(503).send({ status: 'not ready', store: 'ok', pendingMigrations: pending });
      return { status: 'ready', store: deps.store.dialect.name };
    } catch (e) {
      deps.store.health.reportFailure(e);
      return notReady('unreachable', (e as Error).message);
    }
  });

  // Optionally behind a bearer token (Prometheus `authorization.credentials_file`): the metrics
  // name routes, integrations and error rates, which is more than an anonymous caller needs.
  const metricsToken = deps.metricsToken ? Buffer.from(deps.metricsToken, 'utf8') : null;
  app.get('/metrics', async (req, reply) => {
    if (metricsToken && !bearerMatches(req.headers.authorization, metricsToken)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="firebreak-metrics"').send({ code: 'UNAUTHORIZED', message: 'send the metrics token as "Authorization: Bearer …"', requestId: req.id });
    }
    await deps.metrics.collect();
    return reply.type('text/plain; version=0.0.4').send(deps.metrics.render());
  });

  app.get('/api/v1/openapi.json', async () => openApiDocument(table, { version: deps.version, serverUrl: deps.publicUrl }));
}

/** Constant-time comparison of a Bearer credential (both sides hashed, so lengths do not leak). */
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (b: Buffer | string) => createHash('sha256').update(b).digest();
  return timingSafeEqual(digest(match[1]!), digest(expected));
}
