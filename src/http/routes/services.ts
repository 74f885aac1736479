import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { createService } from '../../domain/services/create-service.js';
import { deleteService } from '../../domain/services/delete-service.js';
import { getService } from '../../domain/services/get-service.js';
import { listServices } from '../../domain/services/list-services.js';
import { updateService } from '../../domain/services/update-service.js';
import { route, type RouteTable } from '../route.js';
import { Service, ServiceDetail, ServiceList } from '../views/people.js';

const EscalationPolicyField = z.string().nullable().optional().describe('escalation policy id or name that pages for this service instead of the severity default; null clears');
const CreateBody = z.object({ slug: z.string(), name: z.string(), description: z.string().optional(), team: z.string().nullable().optional(), escalationPolicy: EscalationPolicyField });
const PatchBody = z.object({ slug: z.string().optional(), name: z.string().optional(), description: z.string().optional(), team: z.string().nullable().optional(), escalationPolicy: EscalationPolicyField });

export function registerServiceRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'GET', url: '/api/v1/services', tag: 'services', access: 'read',
    response: ServiceList,
    summary: 'List services with their owning team.',
    handler: async ({ ctx }) => ({ items: await listServices({ ctx }) }),
  });
  r({
    method: 'GET', url: '/api/v1/services/:id', tag: 'services', access: 'read',
    response: ServiceDetail,
    summary: 'One service by id or slug.',
    handler: async ({ ctx, params }) => getService({ ctx, input: { service: params.id! } }),
  });
  r({
    method: 'POST', url: '/api/v1/services', tag: 'services', access: 'admin', status: 201, body: CreateBody,
    response: Service,
    summary: 'Create a service (admin); `team` is a team id or slug, `escalationPolicy` a policy id or name.',
    handler: async ({ ctx, body }) => createService({ ctx, input: body }),
  });
  r({
    method: 'PATCH', url: '/api/v1/services/:id', tag: 'services', access: 'admin', body: PatchBody,
    response: Service,
    summary: 'Change a service (admin). Services from firebreak.yaml answer 409.',
    handler: async ({ ctx, params, body }) => updateService({ ctx, input: { ...body, service: params.id! } }),
  });
  r({
    method: 'DELETE', url: '/api/v1/services/:id', tag: 'services', access: 'admin', status: 204,
    summary: 'Delete a service (admin); its incidents keep their history.',
    handler: async ({ ctx, params }) => deleteService({ ctx, input: { service: params.id! } }),
  });
}
