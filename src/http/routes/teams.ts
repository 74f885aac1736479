import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { createTeam } from '../../domain/teams/create-team.js';
import { deleteTeam } from '../../domain/teams/delete-team.js';
import { getTeam } from '../../domain/teams/get-team.js';
import { listTeams } from '../../domain/teams/list-teams.js';
import { removeTeamMember } from '../../domain/teams/remove-team-member.js';
import { setTeamMember } from '../../domain/teams/set-team-member.js';
import { updateTeam } from '../../domain/teams/update-team.js';
import { route, type RouteTable } from '../route.js';
import { Team, TeamList } from '../views/people.js';

const CreateBody = z.object({ slug: z.string(), name: z.string() });
const PatchBody = z.object({ slug: z.string().optional(), name: z.string().optional() });
const MemberBody = z.object({ role: z.enum(['manager', 'responder', 'observer']).optional() });

export function registerTeamRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'GET', url: '/api/v1/teams', tag: 'teams', access: 'read',
    response: TeamList,
    summary: 'List teams with their members.',
    handler: async ({ ctx }) => ({ items: await listTeams({ ctx }) }),
  });
  r({
    method: 'GET', url: '/api/v1/teams/:id', tag: 'teams', access: 'read',
    response: Team,
    summary: 'One team by id or slug.',
    handler: async ({ ctx, params }) => getTeam({ ctx, input: { team: params.id! } }),
  });
  r({
    method: 'POST', url: '/api/v1/teams', tag: 'teams', access: 'admin', status: 201, body: CreateBody,
    response: Team,
    summary: 'Create a team (admin).',
    handler: async ({ ctx, body }) => createTeam({ ctx, input: body }),
  });
  r({
    method: 'PATCH', url: '/api/v1/teams/:id', tag: 'teams', access: 'admin', body: PatchBody,
    response: Team,
    summary: 'Rename a team or change its slug (admin). Teams from firebreak.yaml answer 409.',
    handler: async ({ ctx, params, body }) => updateTeam({ ctx, input: { ...body, team: params.id! } }),
  });
  r({
    method: 'DELETE', url: '/api/v1/teams/:id', tag: 'teams', access: 'admin', status: 204,
    summary: 'Delete a team (admin); its services keep running without an owner.',
    handler: async ({ ctx, params }) => deleteTeam({ ctx, input: { team: params.id! } }),
  });
  r({
    method: 'PUT', url: '/api/v1/teams/:id/members/:user', tag: 'teams', access: 'admin', body: MemberBody,
    response: Team,
    summary: 'Add a member (user id or email) or change their team role (admin).',
    handler: async ({ ctx, params, body }) => setTeamMember({ ctx, input: { team: params.id!, user: params.user!, role: body.role } }),
  });
  r({
    method: 'DELETE', url: '/api/v1/teams/:id/members/:user', tag: 'teams', access: 'admin',
    response: Team,
    summary: 'Remove a member from a team (admin).',
    handler: async ({ ctx, params }) => removeTeamMember({ ctx, input: { team: params.id!, user: params.user! } }),
  });
}
