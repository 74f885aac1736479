import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../domain/context.js';
import { listSeverities } from '../../domain/severities/list-severities.js';
import { route, type RouteTable } from '../route.js';

export function registerSeverityRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  route(app, table, {
    method: 'GET', url: '/api/v1/severities', tag: 'severities', access: 'read',
    summary: 'The severity scheme, most severe first, with targets and update cadence.',
    handler: async ({ ctx }) => ({ items: await listSeverities({ ctx }) }),
  }, buildCtx);
}
