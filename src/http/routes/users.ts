import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { createUser, CreateUserInput } from '../../domain/users/create-user.js';
import { getUser } from '../../domain/users/get-user.js';
import { listUsers } from '../../domain/users/list-users.js';
import { setUserPassword } from '../../domain/users/set-user-password.js';
import { createSignInLink } from '../../domain/users/sign-in-links.js';
import { updateUser, UpdateUserInput } from '../../domain/users/update-user.js';
import { route, type RouteTable } from '../route.js';
import { PasswordSet, SignInLink, User, UserDetail, UserDetailOrSummary, UserList } from '../views/people.js';

// The verbs' own schemas, so every bad field is named at once and the OpenAPI document lists the enums.
const PatchBody = UpdateUserInput.omit({ user: true });
const PasswordBody = z.object({ password: z.string(), currentPassword: z.string().optional() });
const LinkBody = z.object({ validHours: z.number().int().min(1).max(24 * 14).optional().describe('default 72') });

export function registerUserRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, publicUrl: string): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'GET', url: '/api/v1/users', tag: 'users', access: 'read',
    response: UserList,
    summary: 'List users. Admins see roles, state and teams; everyone else ids, emails and names of active users.',
    handler: async ({ ctx }) => ({ items: await listUsers({ ctx }) }),
  });
  r({
    method: 'GET', url: '/api/v1/users/:id', tag: 'users', access: 'read',
    response: UserDetailOrSummary,
    summary: 'One user by id or email (full view for admins and for yourself).',
    handler: async ({ ctx, params }) => getUser({ ctx, input: { user: params.id! } }),
  });
  r({
    method: 'POST', url: '/api/v1/users', tag: 'users', access: 'admin', status: 201, body: CreateUserInput,
    response: User,
    summary: 'Create a user (admin). Without a password the account cannot sign in until one is set.',
    handler: async ({ ctx, body }) => createUser({ ctx, input: body }),
  });
  r({
    method: 'PATCH', url: '/api/v1/users/:id', tag: 'users', access: 'read', body: PatchBody,
    response: UserDetail,
    summary: 'Change name or time zone (yourself or an admin); role or disabled (admin). A role change or disable ends the user\'s sessions.',
    handler: async ({ ctx, params, body }) => updateUser({ ctx, input: { ...body, user: params.id! } }),
  });
  r({
    method: 'PUT', url: '/api/v1/users/:id/password', tag: 'users', access: 'read', body: PasswordBody,
    response: PasswordSet,
    summary: 'Set a password: your own with currentPassword, anyone\'s as an admin. Ends the user\'s sessions.',
    handler: async ({ ctx, params, body }) => setUserPassword({ ctx, input: { ...body, user: params.id! } }),
  });
  r({
    method: 'POST', url: '/api/v1/users/:id/sign-in-link', noStore: true, tag: 'users', access: 'admin', status: 201, body: LinkBody,
    response: SignInLink,
    summary: 'A one-time sign-in link (admin), shown once: the person opens it to choose a password. Replaces their unused links.',
    handler: async ({ ctx, params, body }) => {
      const link = await createSignInLink({ ctx, input: { ...body, user: params.id! } });
      return { url: `${publicUrl.replace(/\/$/, '')}/welcome#${link.token}`, expiresAt: new Date(link.expiresAt).toISOString() };
    },
  });
}
