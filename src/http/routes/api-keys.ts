import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../domain/context.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../domain/users/manage-api-keys.js';
import { route, type RouteTable } from '../route.js';
import { z } from 'zod';

const CreateBody = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(['read', 'write', 'admin', 'ingest'])).min(1).optional(),
});

export function registerApiKeyRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  route(app, table, {
    method: 'POST', url: '/api/v1/api-keys', noStore: true, tag: 'api-keys', access: 'read', status: 201, body: CreateBody,
    summary: 'Create an API key acting as the caller, limited by scopes. The token is in this response only.',
    handler: async ({ ctx, body }) => createApiKey({ ctx, input: body }),
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v1/api-keys', tag: 'api-keys', access: 'read',
    summary: 'List API keys (admins see all; others their own). Secrets are never returned.',
    handler: async ({ ctx }) => ({ items: await listApiKeys({ ctx }) }),
  }, buildCtx);
  route(app, table, {
    method: 'DELETE', url: '/api/v1/api-keys/:id', tag: 'api-keys', access: 'read',
    summary: 'Revoke an API key; it stops working at once on every instance.',
    handler: async ({ ctx, params }) => revokeApiKey({ ctx, input: { id: params.id! } }),
  }, buildCtx);
}
