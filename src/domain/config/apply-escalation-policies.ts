import type { EscalationPolicyConfig, FirebreakConfig } from '../../config/config-file.js';
import { newId } from '../../core/ids.js';
import { validation } from '../../core/errors.js';
import type { z } from 'zod';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import type { EscalationLevel, EscalationTarget, UnresolvedEscalation } from '../escalation/index.js';
import { assertScopeMayWrite, FILE_SCOPE, updatedWord, type ApplyScope } from './scope.js';

type PolicyConfig = z.output<typeof EscalationPolicyConfig>;

/** `user:EMAIL`, `team:SLUG`, `schedule:NAME` → the stored target; a name that does not exist is a VALIDATION on its field. */
async function resolveTarget(tx: Tx, text: string, field: string): Promise<EscalationTarget> {
  const colon = text.indexOf(':');
  const type = text.slice(0, colon);
  const ref = text.slice(colon + 1).trim();
  if (type === 'user') {
    const row = await tx.selectFrom('users').select('id').where((eb) => eb.or([eb('email', '=', ref), eb('id', '=', ref)])).executeTakeFirst();
    if (row) return { type: 'user', id: row.id };
  } else if (type === 'team') {
    const row = await tx.selectFrom('teams').select('id').where((eb) => eb.or([eb('slug', '=', ref), eb('id', '=', ref)])).executeTakeFirst();
    if (row) return { type: 'team', id: row.id };
  } else if (type === 'schedule') {
    const row = await tx.selectFrom('schedules').select('id').where((eb) => eb.or([eb('name', '=', ref), eb('id', '=', ref)])).executeTakeFirst();
    if (row) return { type: 'schedule', id: row.id };
  } else {
    throw validation(field, `'${text}' is not a target; write user:EMAIL, team:SLUG or schedule:NAME`);
  }
  throw validation(field, `${type} '${ref}' does not exist`);
}

/** The stored shape of a declared policy (targets resolved to ids). */
export async function storedPolicy(tx: Tx, policy: PolicyConfig, field: string, severityKeys: string[]): Promise<{ levels: EscalationLevel[]; ifUnresolved: UnresolvedEscalation[]; repeat: number }> {
  const levels: EscalationLevel[] = [];
  for (const [i, level] of policy.levels.entries()) {
    const targets: EscalationTarget[] = [];
    for (const [j, t] of level.targets.entries()) targets.push(await resolveTarget(tx, t, `${field}.levels.${i}.targets.${j}`));
    const severities = level.severities?.map((k, j) => {
      const found = severityKeys.find((key) => key.toUpperCase() === k.toUpperCase());
      if (!found) throw validation(`${field}.levels.${i}.severities.${j}`, `unknown severity ${k} (the scheme has ${severityKeys.join(', ')})`);
      return found;
    });
    levels.push({ delaySeconds: level.after, targets, ...(severities ? { condition: { severities } } : {}) });
  }
  const ifUnresolved: UnresolvedEscalation[] = [];
  for (const [i, entry] of policy.ifUnresolved.entries()) {
    const targets: EscalationTarget[] = [];
    for (const [j, t] of entry.targets.entries()) targets.push(await resolveTarget(tx, t, `${field}.ifUnresolved.${i}.targets.${j}`));
    ifUnresolved.push({ afterSeconds: entry.after, targets });
  }
  return { levels, ifUnresolved, repeat: policy.repeat };
}

/**
 * `escalationPolicies:` in firebreak.yaml (and an applied import plan): policies by name. Run
 * after users and teams (targets name them) and before severities (a severity names its
 * default policy). Levels conditioned on severities are checked against the scheme the
 * severities section is about to write, or the stored one.
 */
export async function applyEscalationPolicies(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[], scope: ApplyScope = FILE_SCOPE): Promise<void> {
  const now = ctx.clock.now();
  const existing = await tx.selectFrom('escalation_policies').selectAll().execute();
  const byName = new Map(existing.map((p) => [p.name, p]));
  const severityKeys = config.severities?.map((s) => s.key) ?? (await tx.selectFrom('severities').select('key').orderBy('rank').execute()).map((r) => r.key);
  for (const [i, policy] of config.escalationPolicies.entries()) {
    const stored = await storedPolicy(tx, policy, `escalationPolicies.${i}`, severityKeys);
    const values = {
      levels: JSON.stringify(stored.levels),
      repeat: stored.repeat,
      if_unresolved: stored.ifUnresolved.length ? JSON.stringify(stored.ifUnresolved) : null,
      managed_by: scope.managedBy,
    };
    const row = byName.get(policy.name);
    if (!row) {
      await tx.insertInto('escalation_policies').values({
        id: newId('pol', now), team_id: null, name: policy.name, ...values, repeat_delay_seconds: 300, ack_timeout_seconds: null,
        catch_up: 'late-but-once', condition: null, created_at: now, updated_at: now, version: 1,
      }).execute();
      changes.push(`escalation policy ${policy.name}: created`);
      continue;
    }
    assertScopeMayWrite(scope, row, `escalation policy ${policy.name}`);
    if (values.levels === row.levels && values.repeat === row.repeat && values.if_unresolved === row.if_unresolved && (row.managed_by ?? null) === scope.managedBy) continue;
    await tx.updateTable('escalation_policies').set({ ...values, updated_at: now, version: row.version + 1 }).where('id', '=', row.id).execute();
    changes.push(`escalation policy ${policy.name}: ${updatedWord(scope, row)}`);
  }
  if (!scope.prune) return;
  const declared = new Set(config.escalationPolicies.map((p) => p.name));
  for (const row of existing) {
    if (row.managed_by !== FILE_SCOPE.managedBy || declared.has(row.name)) continue;
    // Whoever pages with it falls back to the severity default (or nothing) rather than a dangling id.
    await tx.updateTable('severities').set({ escalation_policy_id: null }).where('escalation_policy_id', '=', row.id).execute();
    await tx.updateTable('services').set({ escalation_policy_id: null }).where('escalation_policy_id', '=', row.id).execute();
    await tx.updateTable('routing_rules').set({ escalation_policy_id: null }).where('escalation_policy_id', '=', row.id).execute();
    await tx.deleteFrom('escalation_policies').where('id', '=', row.id).execute();
    changes.push(`escalation policy ${row.name}: removed`);
  }
}
