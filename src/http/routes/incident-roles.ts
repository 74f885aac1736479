import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { createIncidentRole } from '../../domain/incident-roles/create-incident-role.js';
import { deleteIncidentRole } from '../../domain/incident-roles/delete-incident-role.js';
import { listIncidentRoles } from '../../domain/incident-roles/list-incident-roles.js';
import { updateIncidentRole } from '../../domain/incident-roles/update-incident-role.js';
import { route, type RouteTable } from '../route.js';
import { IncidentRole, IncidentRoleList } from '../views/incident-roles.js';

const Description = z.string().nullable().describe('what the role does: its responsibilities (Markdown)');
const Position = z.number().int().describe('order in the list (lower first); omitted on create: last');
const CreateBody = z.object({
  key: z.string().describe('lower-case letters, digits and -; what incidents store (e.g. security-lead)'),
  name: z.string(),
  description: Description.optional(),
  position: Position.optional(),
});
const PutBody = z.object({ name: z.string().optional(), description: Description.optional(), position: Position.optional() });

export function registerIncidentRoleRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'GET', url: '/api/v1/incident-roles', tag: 'roles', access: 'read',
    response: IncidentRoleList,
    summary: 'The catalogue of incident roles the incident page offers (any other role name still works on an incident).',
    handler: async ({ ctx }) => ({ items: await listIncidentRoles({ ctx }) }),
  });
  r({
    method: 'POST', url: '/api/v1/incident-roles', tag: 'roles', access: 'admin', status: 201, body: CreateBody,
    response: IncidentRole,
    summary: 'Add an incident role to the catalogue (admin).',
    handler: async ({ ctx, body }) => createIncidentRole({ ctx, input: body }),
  });
  r({
    method: 'PUT', url: '/api/v1/incident-roles/:role', tag: 'roles', access: 'admin', body: PutBody,
    response: IncidentRole,
    summary: 'Change an incident role\'s name, description or position (admin); the key stays. Roles from firebreak.yaml answer 409.',
    handler: async ({ ctx, params, body }) => updateIncidentRole({ ctx, input: { ...body, role: params.role! } }),
  });
  r({
    method: 'DELETE', url: '/api/v1/incident-roles/:role', tag: 'roles', access: 'admin', status: 204,
    summary: 'Remove an incident role from the catalogue (admin). 409 while someone holds it on an open incident, or when firebreak.yaml declares it.',
    handler: async ({ ctx, params }) => deleteIncidentRole({ ctx, input: { role: params.role! } }),
  });
}
