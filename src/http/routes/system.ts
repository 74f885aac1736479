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
  deps: { store: Store; metrics: MetricsRegistry; health: HealthRegistry; publicUrl: string; version: string },
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

  app.get('/metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4').send(deps.metrics.render()));

  app.get('/api/v1/openapi.json', async () => openApiDocument(table, { version: deps.version, serverUrl: deps.publicUrl }));
}
