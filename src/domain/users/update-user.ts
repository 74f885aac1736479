import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { findUser } from '../lookups.js';
import { DisplayName, TimeZone, UserRoleInput } from '../names.js';
import type { Tx } from '../../store/index.js';
import { userReferences } from './user-references.js';
import { actorUserId, endUserSessions, toUserViews, type UserDetailView } from './user-view.js';

export const UpdateUserInput = z.object({
  user: z.string().min(1),
  name: DisplayName.optional(),
  role: UserRoleInput.optional(),
  disabled: z.boolean().optional(),
  timeZone: TimeZone.optional(),
});

/**
 * Name and time zone are the user's own to change; role and disabled are an admin's. A new
 * role or a disable ends the user's sessions, so it applies at once. A user declared in
 * firebreak.yaml keeps name, role and time zone from the file, but can still be disabled here:
 * locking out a compromised account must not wait for a config deploy.
 */
export async function updateUser({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<UserDetailView> {
  authorize(ctx.actor, 'read');
  const data = parseInput(UpdateUserInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findUser(tx, data.user);
    if (data.role !== undefined || data.disabled !== undefined || actorUserId(ctx.actor) !== row.id) authorize(ctx.actor, 'admin');
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (data.name !== undefined && data.name !== row.name) changes.name = { from: row.name, to: data.name };
    if (data.role !== undefined && data.role !== row.role) changes.role = { from: row.role, to: data.role };
    if (data.timeZone !== undefined && data.timeZone !== row.time_zone) changes.timeZone = { from: row.time_zone, to: data.timeZone };
    if (data.disabled !== undefined && (data.disabled ? 1 : 0) !== row.disabled) changes.disabled = { from: row.disabled === 1, to: data.disabled };
    const view = async (r: typeof row): Promise<UserDetailView> => ({ ...(await toUserViews(tx, [r]))[0]!, pagedVia: await userReferences(tx, r.id, ctx.clock.now()) });
    if (Object.keys(changes).length === 0) return view(row);
    if (changes.name || changes.role || changes.timeZone) assertNotManaged(row, `user ${row.email}`);

    const losesAdmin = row.role === 'admin' && row.disabled === 0 && ((changes.role && data.role !== 'admin') || (changes.disabled && data.disabled));
    if (losesAdmin) await assertAnotherActiveAdmin(ctx, tx, row.id);

    const now = ctx.clock.now();
    await tx
      .updateTable('users')
      .set({
        name: data.name ?? row.name,
        role: data.role ?? row.role,
        time_zone: data.timeZone ?? row.time_zone,
        disabled: data.disabled === undefined ? row.disabled : data.disabled ? 1 : 0,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    const sessionsEnded = changes.role || (changes.disabled && data.disabled) ? await endUserSessions(tx, row.id) : 0;
    await recordAudit(ctx, tx, { action: 'user.update', target: row.id, data: { email: row.email, changes, sessionsEnded } });
    return view(await findUser(tx, row.id));
  });
}

/**
 * Locks every active admin row first, so two admins demoting each other at the same moment on
 * PostgreSQL are serialised and the second one sees the first's change.
 */
export async function assertAnotherActiveAdmin(ctx: Ctx, tx: Tx, exceptUserId: string): Promise<void> {
  const admins = await ctx.store.dialect
    .forUpdate(tx.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0))
    .execute();
  if (!admins.some((a) => a.id !== exceptUserId)) {
    throw conflict('this is the last active admin; make someone else an admin first');
  }
}
