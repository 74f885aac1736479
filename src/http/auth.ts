import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { authenticateApiKey, authenticateSession, type SessionInfo } from '../domain/users/authenticate.js';
import type { Store } from '../store/index.js';

export const SESSION_COOKIE = 'firebreak_session';

export interface RequestAuth {
  actor: Actor | null;
  session: SessionInfo | null;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (m) return m[1]!;
  }
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * API keys in a header are not sent by browsers on their own, so only cookie sessions need
 * CSRF defence: a cross-site fetch metadata header is refused outright, and state changes must
 * echo the session's CSRF token in `X-CSRF-Token`.
 */
export async function authenticateRequest(req: FastifyRequest, store: Store, clock: Clock): Promise<RequestAuth> {
  const token = bearerToken(req);
  if (token !== null) {
    const actor = await authenticateApiKey(store, clock, token);
    if (!actor) throw new AppError('UNAUTHORIZED', 'the API key is not valid (unknown, revoked or mistyped)');
    return { actor, session: null };
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (!cookie) return { actor: null, session: null };
  const session = await authenticateSession(store, clock, cookie);
  if (!session) return { actor: null, session: null };
  if (!SAFE_METHODS.has(req.method)) {
    if (req.headers['sec-fetch-site'] === 'cross-site') throw new AppError('FORBIDDEN', 'cross-site request refused');
    if (req.headers['x-csrf-token'] !== session.csrfToken) throw new AppError('FORBIDDEN', 'missing or wrong X-CSRF-Token header for a cookie-authenticated change');
  }
  return { actor: session.actor, session };
}
