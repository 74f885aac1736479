import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../domain/context.js';
import { z } from 'zod';
import { addSeverity } from '../../domain/severities/add-severity.js';
import { deleteSeverity } from '../../domain/severities/delete-severity.js';
import { listSeverities } from '../../domain/severities/list-severities.js';
import { replaceSeverityScheme } from '../../domain/severities/replace-severity-scheme.js';
import { updateSeverity } from '../../domain/severities/update-severity.js';
import { route, type RouteTable } from '../route.js';
import { SeverityList } from '../views/people.js';

const Seconds = z.number().int().nullable().optional();
const LevelFields = {
  key: z.string().describe('e.g. SEV1, P0; letters, digits, - and _'),
  name: z.string(),
  description: z.string().optional(),
  examples: z.array(z.string()).optional(),
  ackTargetSeconds: Seconds.describe('acknowledge target; null: none'),
  resolveTargetSeconds: Seconds.describe('resolve target; null: none'),
  updateCadenceSeconds: Seconds.describe('stakeholder update cadence; null: none'),
  escalationPolicyId: z.string().nullable().optional(),
  postmortemRequired: z.boolean().optional(),
  postmortemDueSeconds: Seconds,
  commTasks: z.array(z.unknown()).optional(),
  position: z.number().int().optional().describe('place on the ladder, 0 = most severe'),
};
const CreateBody = z.object(LevelFields);
const PatchBody = z.object(LevelFields).partial();

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
  route(app, table, {
    method: 'POST', url: '/api/v1/severities', tag: 'severities', access: 'admin', status: 201, body: CreateBody,
    response: SeverityList,
    summary: 'Add one level to the ladder (admin), at `position` or at the bottom; answers the whole ladder.',
    handler: async ({ ctx, body }) => ({ items: await addSeverity({ ctx, input: body }) }),
  }, buildCtx);
  route(app, table, {
    method: 'PATCH', url: '/api/v1/severities/:key', tag: 'severities', access: 'admin', body: PatchBody,
    response: SeverityList,
    summary: 'Change one level (admin): any field, or `position` to move it; answers the whole ladder.',
    handler: async ({ ctx, params, body }) => ({ items: await updateSeverity({ ctx, input: { key: params.key!, patch: body } }) }),
  }, buildCtx);
  route(app, table, {
    method: 'DELETE', url: '/api/v1/severities/:key', tag: 'severities', access: 'admin',
    response: SeverityList,
    summary: 'Remove one level (admin); refused (409) while open incidents use it, or for the last level. Answers the ladder left.',
    handler: async ({ ctx, params }) => ({ items: await deleteSeverity({ ctx, input: { key: params.key! } }) }),
  }, buildCtx);
}
