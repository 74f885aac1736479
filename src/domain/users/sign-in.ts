import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { hashSessionToken, SESSION_ABSOLUTE_MS } from './authenticate.js';
import { verifyPassword } from './passwords.js';

export const SignInInput = z.object({
  email: z.string().trim().toLowerCase().min(3).max(254),
  password: z.string().min(1).max(1000),
});

const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * Email + password → a new server-side session. Failures are audited, and the audit log is
 * also the rate limiter: ten failures for one account in 15 minutes lock it out for the rest of
 * the window on every instance, since they share the database.
 */
export async function signIn({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ token: string; csrfToken: string; user: { id: string; email: string; name: string; role: string }; expiresAt: number }> {
  const data = parseInput(SignInInput, input);
  const now = ctx.clock.now();
  const failures = await ctx.store.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'auth.sign_in_failed')
    .where('target', '=', data.email)
    .where('at', '>', now - FAILURE_WINDOW_MS)
    .executeTakeFirst();
  if (Number(failures?.n ?? 0) >= MAX_FAILURES) {
    throw new AppError('LIMIT_EXCEEDED', 'too many failed sign-ins for this account; try again later', { retryAfterSeconds: FAILURE_WINDOW_MS / 1000 });
  }
  const user = await ctx.store.db.selectFrom('users').selectAll().where('email', '=', data.email).executeTakeFirst();
  const ok = user !== undefined && user.disabled === 0 && (await verifyPassword(data.password, user.password_hash));
  if (!ok || !user) {
    await ctx.store.transaction((tx) => recordAudit({ ...ctx, actor: { type: 'system', name: 'anonymous' } }, tx, { action: 'auth.sign_in_failed', target: data.email }));
    // One message for unknown account and wrong password: no account enumeration.
    throw new AppError('UNAUTHORIZED', 'email or password is wrong');
  }
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = now + SESSION_ABSOLUTE_MS;
  const actor = { type: 'user' as const, id: user.id, name: user.name, role: user.role as 'admin' | 'responder' | 'viewer' };
  await ctx.store.transaction(async (tx) => {
    await tx
      .insertInto('sessions')
      .values({ id: newId('ses', now), token_hash: hashSessionToken(token), csrf_token: csrfToken, user_id: user.id, created_at: now, last_seen_at: now, expires_at: expiresAt, ip: ctx.ip ?? null })
      .execute();
    await recordAudit({ ...ctx, actor }, tx, { action: 'auth.sign_in', target: user.id });
  });
  return { token, csrfToken, user: { id: user.id, email: user.email, name: user.name, role: user.role }, expiresAt };
}

export async function signOut({ ctx, input }: { ctx: Ctx; input: { sessionId: string } }): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await tx.deleteFrom('sessions').where('id', '=', input.sessionId).execute();
    await recordAudit(ctx, tx, { action: 'auth.sign_out', target: input.sessionId });
  });
}
