import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../domain/context.js';
import { z } from 'zod';
import { listSeverities } from '../../domain/severities/list-severities.js';
import { replaceSeverityScheme } from '../../domain/severities/replace-severity-scheme.js';
import { route, type RouteTable } from '../route.js';
import { SeverityList } from '../views/people.js';

export function registerSeverityRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  route(app, table, {
    method: 'GET', url: '/api/v1/severities', tag: 'severities', access: 'read',
    response: SeverityList,
    summary: 'The severity scheme, most severe first, with targets and update cadence.',
    handler: async ({ ctx }) => ({ items: await listSeverities({ ctx }) }),
  }, buildCtx);
  route(app, table, {
    method: 'PUT', url: '/api/v1/severities', tag: 'severities', access: 'admin', body: z.object({ items: z.array(z.unknown()) }),
    response: SeverityList,
    summary: 'Replace the severity scheme (admin), most severe first. Levels open incidents use cannot be removed.',
    handler: async ({ ctx, body }) => ({ items: await replaceSeverityScheme({ ctx, input: body }) }),
  }, buildCtx);
}
