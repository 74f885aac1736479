import { AppError } from '../../core/errors.js';
import type { Tx } from '../../store/index.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';

/**
 * Failed sign-ins are counted in the database (`sign_in_failures`), so the limits hold across
 * every instance, in fixed 15-minute windows:
 * - per source address, over every account: password spraying (one password tried on many
 *   accounts) is refused after {@link MAX_FAILURES_PER_SOURCE};
 * - per account and source address: guessing one account's password is refused after
 *   {@link MAX_FAILURES_PER_ACCOUNT_SOURCE}, from that address only, so a stranger cannot lock
 *   the owner (or the admin) out.
 * The source is the client address as the HTTP layer determined it (`ctx.ip`).
 */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_SOURCE = 20;
export const MAX_FAILURES_PER_ACCOUNT_SOURCE = 10;

export interface SignInAttempt {
  email: string;
  source: string;
  windowStart: number;
  /** This account's failures from this source in the window, this attempt included. */
  accountFailures: number;
}

const sourceKey = (source: string) => `source:${source}`;
const accountKey = (email: string, source: string) => `account:${email} source:${source}`;

const anonymous = (ctx: Ctx): Ctx => ({ ...ctx, actor: { type: 'system', name: 'anonymous' } });

async function bump(tx: Tx, key: string, windowStart: number): Promise<number> {
  const row = await tx
    .insertInto('sign_in_failures')
    .values({ key, window_start: windowStart, failures: 1 })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet((eb) => ({ failures: eb('sign_in_failures.failures', '+', 1) })))
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

/**
 * Counts the attempt as a failure *before* the password is checked, so that many guesses sent at
 * once cannot all pass a check made before any of them failed, and refuses it (LIMIT_EXCEEDED,
 * with the seconds left in the window) when a limit is passed. A success takes it back
 * ({@link forgiveSignInAttempt}). The audit log keeps one entry when a limit is first passed in a
 * window, with the count, not one per attempt.
 */
export async function beginSignInAttempt(ctx: Ctx, email: string): Promise<SignInAttempt> {
  const now = ctx.clock.now();
  const windowStart = now - (now % SIGN_IN_WINDOW_MS);
  const source = ctx.ip ?? 'unknown';
  const windowSeconds = SIGN_IN_WINDOW_MS / 1000;
  const counts = await ctx.store.transaction(async (tx) => {
    const sourceFailures = await bump(tx, sourceKey(source), windowStart);
    const accountFailures = await bump(tx, accountKey(email, source), windowStart);
    // A source's first failure of a window also clears the windows before it (cheap, indexed).
    if (sourceFailures === 1) await tx.deleteFrom('sign_in_failures').where('window_start', '<', windowStart).execute();
    if (sourceFailures === MAX_FAILURES_PER_SOURCE + 1) {
      await recordAudit(anonymous(ctx), tx, { action: 'auth.sign_in_throttled', target: source, data: { failures: MAX_FAILURES_PER_SOURCE, windowSeconds } });
    }
    if (accountFailures === MAX_FAILURES_PER_ACCOUNT_SOURCE + 1) {
      await recordAudit(anonymous(ctx), tx, { action: 'auth.sign_in_locked', target: email, data: { failures: MAX_FAILURES_PER_ACCOUNT_SOURCE, windowSeconds } });
    }
    return { sourceFailures, accountFailures };
  });
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + SIGN_IN_WINDOW_MS - now) / 1000));
  if (counts.sourceFailures > MAX_FAILURES_PER_SOURCE) {
    throw new AppError('LIMIT_EXCEEDED', 'too many failed sign-ins from this address; try again later', { retryAfterSeconds });
  }
  if (counts.accountFailures > MAX_FAILURES_PER_ACCOUNT_SOURCE) {
    throw new AppError('LIMIT_EXCEEDED', 'too many failed sign-ins for this account from this address; try again later', { retryAfterSeconds });
  }
  return { email, source, windowStart, accountFailures: counts.accountFailures };
}

/**
 * The attempt failed: it stays counted. Only an account's first failure from a source in a
 * window is audited (the lock, if it comes, is the second entry), so a flood of failures cannot
 * grow the audit log beyond two entries per account and source per window.
 */
export async function recordFailedSignIn(ctx: Ctx, attempt: SignInAttempt): Promise<void> {
  if (attempt.accountFailures !== 1) return;
  await ctx.store.transaction((tx) =>
    recordAudit(anonymous(ctx), tx, { action: 'auth.sign_in_failed', target: attempt.email, data: { windowSeconds: SIGN_IN_WINDOW_MS / 1000 } }),
  );
}

/** The attempt succeeded, in the transaction that opens the session: it was not a failure, and this account's failures from this source are forgiven. */
export async function forgiveSignInAttempt(tx: Tx, attempt: SignInAttempt): Promise<void> {
  await tx
    .updateTable('sign_in_failures')
    .set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('key', '=', sourceKey(attempt.source))
    .where('window_start', '=', attempt.windowStart)
    .execute();
  await tx.deleteFrom('sign_in_failures').where('key', '=', accountKey(attempt.email, attempt.source)).execute();
}
