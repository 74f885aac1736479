import { z } from 'zod';
import { validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { findUser } from '../lookups.js';
import { Password } from './create-user.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { actorUserId, endUserSessions } from './user-view.js';

const SetPasswordInput = z.object({
  user: z.string().min(1),
  password: Password,
  currentPassword: z.string().max(1000).optional(),
});

/**
 * Users change their own password by proving the current one; admins set anyone else's (also
 * how accounts declared in firebreak.yaml get their first password). Every session of the user
 * ends, the caller's own included.
 */
export async function setUserPassword({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ sessionsEnded: number }> {
  authorize(ctx.actor, 'read');
  const data = parseInput(SetPasswordInput, input);
  const target = await findUser(ctx.store.db, data.user);
  const self = actorUserId(ctx.actor) === target.id;
  if (self) {
    if (data.currentPassword === undefined) throw validation('currentPassword', 'is required to change your own password');
    if (!(await verifyPassword(data.currentPassword, target.password_hash))) throw validation('currentPassword', 'is wrong');
  } else {
    authorize(ctx.actor, 'admin');
  }
  const hash = await hashPassword(data.password);
  return ctx.store.transaction(async (tx) => {
    await tx.updateTable('users').set({ password_hash: hash, updated_at: ctx.clock.now() }).where('id', '=', target.id).execute();
    const sessionsEnded = await endUserSessions(tx, target.id);
    await recordAudit(ctx, tx, { action: 'user.password_set', target: target.id, data: { email: target.email, by: self ? 'self' : 'admin', sessionsEnded } });
    return { sessionsEnded };
  });
}
