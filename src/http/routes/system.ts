import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Ctx } from '../../domain/context.js';
import type { MetricsRegistry } from '../../observability/metrics.js';
import { pendingMigrations, type Store } from '../../store/index.js';
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

  // Readiness: the store answers and the schema is current, so traffic can be sent here.
  app.get('/ready', async (_req, reply) => {
    try {
      await sql`select 1`.execute(deps.store.db);
      const pending = await pendingMigrations(deps.store.dialect);
      if (pending.length > 0) return reply.code(503).send({ status: 'not ready', store: 'ok', pendingMigrations: pending });
      return { status: 'ready', store: deps.store.dialect.name };
    } catch (e) {
      return reply.code(503).header('retry-after', '5').send({ status: 'not ready', store: 'unreachable', detail: (e as Error).message.slice(0, 200) });
    }
  });

  app.get('/metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4').send(deps.metrics.render()));

  app.get('/api/v1/openapi.json', async () => openApiDocument(table, { version: deps.version, serverUrl: deps.publicUrl }));
}
