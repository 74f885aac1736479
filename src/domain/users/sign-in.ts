import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Tx } from '../../store/index.js';
import type { UserTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { hashSessionToken, SESSION_ABSOLUTE_MS } from './authenticate.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './passwords.js';
import { beginSignInAttempt, forgiveSignInAttempt, recordFailedSignIn } from './sign-in-throttle.js';

export const SignInInput = z.object({
  email: z.string().trim().toLowerCase().min(3).max(254),
  password: z.string().min(1).max(1000),
});

/**
 * Email + password → a new server-side session. Throttled per source address and per account
 * and source (sign-in-throttle.ts), and every outcome costs one password hash, so the answer's
 * time does not tell whether the email has an account.
 */
export async function signIn({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<SignedIn> {
  const data = parseInput(SignInInput, input);
  const attempt = await beginSignInAttempt(ctx, data.email);
  const user = await ctx.store.db.selectFrom('users').selectAll().where('email', '=', data.email).executeTakeFirst();
  const usable = user !== undefined && user.disabled === 0 && user.password_hash !== null;
  // Unknown, disabled and password-less accounts are checked against a dummy hash of the same cost.
  const matches = await verifyPassword(data.password, usable ? user.password_hash : DUMMY_PASSWORD_HASH);
  if (!usable || !matches) {
    await recordFailedSignIn(ctx, attempt);
    // One message for unknown account and wrong password: no account enumeration.
    throw new AppError('UNAUTHORIZED', 'email or password is wrong');
  }
  const actor = { type: 'user' as const, id: user.id, name: user.name, role: user.role as 'admin' | 'responder' | 'viewer' };
  return ctx.store.transaction(async (tx) => {
    // Counters before the audit head, the order beginSignInAttempt locks them in (PostgreSQL).
    await forgiveSignInAttempt(tx, attempt);
    return createSession({ ...ctx, actor }, tx, user);
  });
}

export interface SignedIn {
  token: string;
  csrfToken: string;
  user: { id: string; email: string; name: string; role: string };
  expiresAt: number;
}

/** A new browser session for `user`, audited as their sign-in, inside the caller's transaction. */
export async function createSession(ctx: Ctx, tx: Tx, user: Pick<UserTable, 'id' | 'email' | 'name' | 'role'>): Promise<SignedIn> {
  const now = ctx.clock.now();
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = now + SESSION_ABSOLUTE_MS;
  await tx
    .insertInto('sessions')
    .values({ id: newId('ses', now), token_hash: hashSessionToken(token), csrf_token: csrfToken, user_id: user.id, created_at: now, last_seen_at: now, expires_at: expiresAt, ip: ctx.ip ?? null })
    .execute();
  await recordAudit(ctx, tx, { action: 'auth.sign_in', target: user.id });
  return { token, csrfToken, user: { id: user.id, email: user.email, name: user.name, role: user.role }, expiresAt };
}

export async function signOut({ ctx, input }: { ctx: Ctx; input: { sessionId: string } }): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await tx.deleteFrom('sessions').where('id', '=', input.sessionId).execute();
    await recordAudit(ctx, tx, { action: 'auth.sign_out', target: input.sessionId });
  });
}
