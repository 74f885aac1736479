import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { Ctx } from '../../domain/context.js';
import { SignInInput, signIn, signOut } from '../../domain/users/sign-in.js';
import { RedeemLinkInput, redeemSignInLink } from '../../domain/users/sign-in-links.js';
import { SESSION_COOKIE } from '../auth.js';
import { route, type RouteTable } from '../route.js';
import { Session, SignedIn } from '../views/people.js';

export function registerAuthRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx, opts: { secureCookies: boolean }): void {
  const cookie = (value: string, maxAgeSeconds: number) =>
    `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${opts.secureCookies ? '; Secure' : ''}`;

  route(app, table, {
    method: 'POST', url: '/api/v1/auth/sign-in', noStore: true, tag: 'auth', access: 'public', body: SignInInput,
    response: SignedIn,
    summary: 'Sign in with email and password; sets an HttpOnly session cookie and returns the CSRF token.',
    handler: async ({ ctx, body, reply }) => {
      const result = await signIn({ ctx, input: body });
      reply.header('set-cookie', cookie(result.token, Math.floor((result.expiresAt - ctx.clock.now()) / 1000)));
      return { user: result.user, csrfToken: result.csrfToken };
    },
  }, buildCtx);

  route(app, table, {
    method: 'POST', url: '/api/v1/auth/sign-in-link', noStore: true, tag: 'auth', access: 'public', body: RedeemLinkInput,
    response: SignedIn,
    summary: 'Open a one-time sign-in link: choose a password and sign in (sets the session cookie). The link is then used up.',
    handler: async ({ ctx, body, reply }) => {
      const result = await redeemSignInLink({ ctx, input: body });
      reply.header('set-cookie', cookie(result.token, Math.floor((result.expiresAt - ctx.clock.now()) / 1000)));
      return { user: result.user, csrfToken: result.csrfToken };
    },
  }, buildCtx);

  route(app, table, {
    method: 'POST', url: '/api/v1/auth/sign-out', tag: 'auth', access: 'read', status: 204,
    summary: 'End the current browser session.',
    handler: async ({ ctx, raw, reply }) => {
      if (raw.auth.session) await signOut({ ctx, input: { sessionId: raw.auth.session.sessionId } });
      reply.header('set-cookie', cookie('', 0));
      return null;
    },
  }, buildCtx);

  route(app, table, {
    method: 'GET', url: '/api/v1/auth/session', noStore: true, tag: 'auth', access: 'read',
    response: Session,
    summary: 'Who the caller is (user or API key) and, for a browser session, its CSRF token.',
    handler: async ({ raw }) => {
      const actor = raw.auth.actor;
      if (!actor) throw new AppError('UNAUTHORIZED', 'not signed in');
      return { actor, email: raw.auth.session?.email ?? null, csrfToken: raw.auth.session?.csrfToken ?? null };
    },
  }, buildCtx);
}
