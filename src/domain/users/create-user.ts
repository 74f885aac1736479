import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { DisplayName, Email, TimeZone, UserRoleInput } from '../names.js';
import { hashPassword } from './passwords.js';
import { toUserViews, type UserView } from './user-view.js';

export const Password = z.string().min(12, { error: 'must be at least 12 characters' }).max(1000);

export const CreateUserInput = z.object({
  email: Email,
  name: DisplayName,
  role: UserRoleInput.default('responder'),
  timeZone: TimeZone.default('UTC'),
  password: Password.optional(),
});

/** Admins add people. Without a password the account exists (for roles and paging) but cannot sign in yet. */
export async function createUser({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<UserView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(CreateUserInput, input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  const now = ctx.clock.now();
  const row = {
    id: newId('usr', now), email: data.email, name: data.name, role: data.role, password_hash: passwordHash,
    time_zone: data.timeZone, disabled: 0, managed_by: null, created_at: now, updated_at: now,
  };
  try {
    return await ctx.store.transaction(async (tx) => {
      const existing = await tx.selectFrom('users').select('id').where('email', '=', data.email).executeTakeFirst();
      if (existing) throw conflict(`a user with email ${data.email} already exists`);
      await tx.insertInto('users').values(row).execute();
      await recordAudit(ctx, tx, { action: 'user.create', target: row.id, data: { email: data.email, role: data.role, withPassword: passwordHash !== null } });
      return (await toUserViews(tx, [row]))[0]!;
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw conflict(`a user with email ${data.email} already exists`);
    throw e;
  }
}
