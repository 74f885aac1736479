import { newId } from '../core/ids.js';
import { bumpAlertConfigVersion } from './alerts/alert-config.js';
import { recordAudit } from './audit/record-audit.js';
import type { Ctx } from './context.js';
import { DEFAULT_SEVERITY_SCHEME } from './severities/severity-scheme.js';
import { generatePassword, hashPassword } from './users/passwords.js';

/**
 * First start: a default severity scheme if none exists, and an admin with a generated password
 * that is returned once for the operator to read; only its hash is kept. Safe to run on every
 * start and from several instances: the inserts are conditional and a lost race is harmless.
 */
export async function ensureDefaults({ ctx, input }: { ctx: Ctx; input: { adminEmail: string } }): Promise<{ adminCreated: { email: string; password: string } | null }> {
  const now = ctx.clock.now();
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  try {
    return await ctx.store.transaction(async (tx) => {
      const severityCount = await tx.selectFrom('severities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(severityCount.n) === 0) {
        await tx
          .insertInto('severities')
          .values(DEFAULT_SEVERITY_SCHEME.map((s, rank) => ({
            id: newId('sev', now), key: s.key, rank, name: s.name, description: s.description, examples: JSON.stringify(s.examples),
            ack_target_seconds: s.ackTargetSeconds, resolve_target_seconds: s.resolveTargetSeconds, update_cadence_seconds: s.updateCadenceSeconds,
            escalation_policy_id: null, managed_by: null, created_at: now, updated_at: now,
            postmortem_required: s.postmortemRequired ? 1 : 0, postmortem_due_seconds: s.postmortemDueSeconds,
          })))
          .execute();
        await bumpAlertConfigVersion(tx);
      }
      const userCount = await tx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(userCount.n) > 0) return { adminCreated: null };
      const id = newId('usr', now);
      await tx
        .insertInto('users')
        .values({ id, email: input.adminEmail.toLowerCase(), name: 'Administrator', role: 'admin', password_hash: passwordHash, time_zone: 'UTC', disabled: 0, managed_by: null, created_at: now, updated_at: now })
        .execute();
      await recordAudit(ctx, tx, { action: 'user.create', target: id, data: { email: input.adminEmail, role: 'admin', reason: 'first start' } });
      return { adminCreated: { email: input.adminEmail.toLowerCase(), password } };
    });
  } catch (e) {
    // Another instance bootstrapped at the same moment: its defaults stand.
    if (ctx.store.dialect.isUniqueViolation(e)) return { adminCreated: null };
    throw e;
  }
}
