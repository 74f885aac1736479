import { createHash } from 'node:crypto';
import type { Actor, ApiKeyScope, UserRole } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../store/index.js';
import { parseApiKey, secretMatches } from './api-key-format.js';

/** Seconds between `last_used_at` writes: exact enough for "last used", cheap on hot paths. */
const LAST_USED_GRANULARITY_MS = 60_000;

export const SESSION_IDLE_MS = 24 * 3600_000;
export const SESSION_ABSOLUTE_MS = 14 * 24 * 3600_000;

/**
 * Resolves a bearer token to an actor, or null. Role and revocation are read from the database
 * on every request, so a revoked key or demoted user loses access on every instance at once.
 */
export async function authenticateApiKey(store: Store, clock: Clock, token: string): Promise<Actor | null> {
  const parsed = parseApiKey(token);
  if (!parsed) return null;
  const row = await store.db
    .selectFrom('api_keys')
    .leftJoin('users', 'users.id', 'api_keys.user_id')
    .select(['api_keys.id', 'api_keys.name', 'api_keys.secret_hash', 'api_keys.scopes', 'api_keys.user_id', 'api_keys.revoked_at', 'api_keys.last_used_at', 'users.role', 'users.disabled'])
    .where('api_keys.lookup', '=', parsed.lookup)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || !secretMatches(parsed.secret, row.secret_hash)) return null;
  if (row.user_id !== null && (row.disabled === 1 || row.role === null)) return null;
  const now = clock.now();
  if (row.last_used_at === null || now - row.last_used_at > LAST_USED_GRANULARITY_MS) {
    await store.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  // A key without an owner was made by the operator on the host (`firebreak apikey create --local`).
  const role = (row.role ?? 'admin') as UserRole;
  return { type: 'apiKey', id: row.id, name: row.name, userId: row.user_id, role, scopes: JSON.parse(row.scopes) as ApiKeyScope[] };
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionInfo {
  actor: Actor & { type: 'user' };
  sessionId: string;
  csrfToken: string;
  email: string;
}

/** Resolves a session cookie; expired sessions and disabled users resolve to nothing. */
export async function authenticateSession(store: Store, clock: Clock, token: string): Promise<SessionInfo | null> {
  if (!token || token.length > 200) return null;
  const now = clock.now();
  const row = await store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.csrf_token', 'sessions.expires_at', 'sessions.last_seen_at', 'users.id as user_id', 'users.name', 'users.email', 'users.role', 'users.disabled'])
    .where('sessions.token_hash', '=', hashSessionToken(token))
    .executeTakeFirst();
  if (!row || row.disabled === 1 || row.expires_at <= now || now - row.last_seen_at > SESSION_IDLE_MS) return null;
  if (now - row.last_seen_at > LAST_USED_GRANULARITY_MS) {
    await store.db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
  }
  return {
    actor: { type: 'user', id: row.user_id, name: row.name, role: row.role as UserRole },
    sessionId: row.id,
    csrfToken: row.csrf_token,
    email: row.email,
  };
}
