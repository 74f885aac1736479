import { z } from 'zod';
import { AppError, conflict } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { findUser } from '../lookups.js';
import { hashSessionToken } from './authenticate.js';
import { Password } from './create-user.js';
import { hashPassword } from './passwords.js';
import { createSession, type SignedIn } from './sign-in.js';
import { endUserSessions } from './user-view.js';

/**
 * One-time sign-in links: how an admin invites a person without ever knowing their password,
 * or lets someone who forgot theirs back in. The link carries 32 random bytes; only their
 * SHA-256 is stored, as for sessions. Opening it, the person chooses a password, which signs
 * them in: the link is then used up. A new link replaces the user's unused ones.
 */
const DEFAULT_TTL_HOURS = 72;

const CreateLinkInput = z.object({
  user: z.string().min(1),
  validHours: z.number().int().min(1).max(24 * 14).default(DEFAULT_TTL_HOURS),
});

export async function createSignInLink({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ token: string; expiresAt: number }> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(CreateLinkInput, input);
  return ctx.store.transaction(async (tx) => {
    const user = await findUser(tx, data.user);
    if (user.disabled === 1) throw conflict(`${user.email} is disabled; enable the account before sending a sign-in link`);
    const now = ctx.clock.now();
    const token = randomToken(32);
    const expiresAt = now + data.validHours * 3600_000;
    const replaced = await tx.deleteFrom('sign_in_links').where('user_id', '=', user.id).where('used_at', 'is', null).executeTakeFirst();
    await tx.insertInto('sign_in_links').values({ id: newId('sil', now), user_id: user.id, token_hash: hashSessionToken(token), created_at: now, expires_at: expiresAt, used_at: null }).execute();
    await recordAudit(ctx, tx, { action: 'user.sign_in_link', target: user.id, data: { email: user.email, expiresAt, replaced: Number(replaced.numDeletedRows) } });
    return { token, expiresAt };
  });
}

export const RedeemLinkInput = z.object({
  token: z.string().min(1).max(200),
  password: Password,
});

/**
 * Opens a link: sets the chosen password, ends the user's other sessions and starts a new one.
 * The password is checked before the link is touched, so a too-short one does not use it up.
 * Unknown, used, expired and disabled all answer the same.
 */
export async function redeemSignInLink({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<SignedIn> {
  const data = parseInput(RedeemLinkInput, input);
  const refused = () => new AppError('UNAUTHORIZED', 'this sign-in link is not valid: it was used, it expired or a newer one replaced it; ask an admin for a new one');
  const now = ctx.clock.now();
  const link = await ctx.store.db.selectFrom('sign_in_links').selectAll().where('token_hash', '=', hashSessionToken(data.token)).executeTakeFirst();
  if (!link || link.used_at !== null || link.expires_at <= now) throw refused();
  const user = await ctx.store.db.selectFrom('users').selectAll().where('id', '=', link.user_id).executeTakeFirst();
  if (!user || user.disabled === 1) throw refused();
  // Hashed only for a live link: an unknown token costs no scrypt (tokens are 256 bits, unguessable).
  const hash = await hashPassword(data.password);
  return ctx.store.transaction(async (tx) => {
    // Conditional: of two tabs opening the same link at once, one wins.
    const used = await tx.updateTable('sign_in_links').set({ used_at: now }).where('id', '=', link.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw refused();
    await tx.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', user.id).execute();
    const sessionsEnded = await endUserSessions(tx, user.id);
    const actor = { type: 'user' as const, id: user.id, name: user.name, role: user.role as 'admin' | 'responder' | 'viewer' };
    await recordAudit({ ...ctx, actor }, tx, { action: 'user.password_set', target: user.id, data: { email: user.email, by: 'sign-in link', sessionsEnded } });
    return createSession({ ...ctx, actor }, tx, user);
  });
}
