import { z } from 'zod';
import { conflict, notFound, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Db, Tx } from '../../store/index.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { escalationPolicySchema, type EscalationPolicy } from '../escalation/index.js';
import { findSeverity, findTeam } from '../lookups.js';
import { policyFromRow } from './escalation-store.js';
import { assertNotManaged } from '../config/managed.js';

/**
 * Escalation policies: CRUD, plus which severities use each one as their default. Edits never
 * reach running incidents: those carry the snapshot taken when their escalation started.
 */
const PolicyInput = escalationPolicySchema.omit({ id: true }).extend({
  name: z.string().trim().min(1).max(200),
  team: z.string().optional(),
  /** Severity keys that page with this policy by default. */
  severities: z.array(z.string()).max(20).optional(),
});

export interface PolicyView extends EscalationPolicy {
  id: string;
  name: string;
  teamId: string | null;
  severities: string[];
  /** Every severity, service and routing rule that pages with it (deleting it is refused while any do). */
  usedBy: string[];
  version: number;
}

async function policyView(db: Db | Tx, id: string): Promise<PolicyView> {
  const row = await db.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('escalation policy', id);
  const severities = (await db.selectFrom('severities').select('key').where('escalation_policy_id', '=', id).orderBy('rank').execute()).map((s) => s.key);
  return { ...policyFromRow(row), id: row.id, name: row.name, teamId: row.team_id, severities, usedBy: await policyReferrers(db, id), version: row.version };
}

async function findPolicyId(db: Db | Tx, ref: string): Promise<string> {
  const row = await db.selectFrom('escalation_policies').select('id').where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)])).executeTakeFirst();
  if (!row) throw notFound('escalation policy', ref);
  return row.id;
}

/** Targets must name things that exist when the policy is saved. */
async function checkTargets(tx: Tx, policy: { levels: { targets: { type: string; id: string }[] }[]; ifUnresolved?: { targets: { type: string; id: string }[] }[] | undefined }): Promise<void> {
  const lists = [
    ...policy.levels.map((level, i) => ({ field: `levels.${i}`, targets: level.targets })),
    ...(policy.ifUnresolved ?? []).map((entry, i) => ({ field: `ifUnresolved.${i}`, targets: entry.targets })),
  ];
  for (const { field, targets } of lists) {
    for (const [j, t] of targets.entries()) {
      const table = t.type === 'user' ? 'users' : t.type === 'schedule' ? 'schedules' : 'teams';
      const found = await tx.selectFrom(table).select('id').where('id', '=', t.id).executeTakeFirst();
      if (!found) throw validation(`${field}.targets.${j}.id`, `${t.type} ${t.id} does not exist`);
    }
  }
}

async function attachSeverities(tx: Tx, policyId: string, keys: string[] | undefined, now: number): Promise<void> {
  if (keys === undefined) return;
  const rows = [];
  for (const [i, key] of keys.entries()) rows.push(await findSeverity(tx, key).catch(() => { throw validation(`severities.${i}`, `severity ${key} does not exist`); }));
  await tx.updateTable('severities').set({ escalation_policy_id: null, updated_at: now }).where('escalation_policy_id', '=', policyId).execute();
  if (rows.length) await tx.updateTable('severities').set({ escalation_policy_id: policyId, updated_at: now }).where('id', 'in', rows.map((r) => r.id)).execute();
}

export async function createEscalationPolicy({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PolicyView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(PolicyInput, input);
  return ctx.store.transaction(async (tx) => {
    await checkTargets(tx, data);
    const team = data.team ? await findTeam(tx, data.team).catch(() => { throw validation('team', `team ${data.team} was not found`); }) : null;
    const now = ctx.clock.now();
    const id = newId('pol', now);
    await tx.insertInto('escalation_policies').values({
      id, team_id: team?.id ?? null, name: data.name, levels: JSON.stringify(data.levels), repeat: data.repeat, repeat_delay_seconds: data.repeatDelaySeconds,
      ack_timeout_seconds: data.ackTimeoutSeconds ?? null, catch_up: data.catchUp, condition: data.condition ? JSON.stringify(data.condition) : null,
      if_unresolved: data.ifUnresolved?.length ? JSON.stringify(data.ifUnresolved) : null,
      created_at: now, updated_at: now, version: 1,
    }).execute();
    await attachSeverities(tx, id, data.severities, now);
    await recordAudit(ctx, tx, { action: 'escalation_policy.created', target: id, data: { name: data.name, severities: data.severities ?? [] } });
    return policyView(tx, id);
  });
}

export async function updateEscalationPolicy({ ctx, input }: { ctx: Ctx; input: { policy: string } & Record<string, unknown> }): Promise<PolicyView> {
  authorize(ctx.actor, 'admin');
  const { policy: ref, ...rest } = input;
  const data = parseInput(PolicyInput, rest);
  return ctx.store.transaction(async (tx) => {
    const id = await findPolicyId(tx, ref);
    const row = await tx.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assertNotManaged({ managed_by: row.managed_by ?? null }, `escalation policy ${row.name}`);
    await checkTargets(tx, data);
    const team = data.team ? await findTeam(tx, data.team).catch(() => { throw validation('team', `team ${data.team} was not found`); }) : null;
    const now = ctx.clock.now();
    const updated = await tx.updateTable('escalation_policies').set({
      name: data.name, team_id: team?.id ?? row.team_id, levels: JSON.stringify(data.levels), repeat: data.repeat, repeat_delay_seconds: data.repeatDelaySeconds,
      ack_timeout_seconds: data.ackTimeoutSeconds ?? null, catch_up: data.catchUp, condition: data.condition ? JSON.stringify(data.condition) : null,
      if_unresolved: data.ifUnresolved?.length ? JSON.stringify(data.ifUnresolved) : null,
      updated_at: now, version: row.version + 1,
    }).where('id', '=', id).where('version', '=', row.version).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('the policy changed while you were editing it; reload and try again');
    await attachSeverities(tx, id, data.severities, now);
    await recordAudit(ctx, tx, { action: 'escalation_policy.updated', target: id, data: { name: data.name } });
    return policyView(tx, id);
  });
}

/** Who pages with a policy: severities (as their default), services and routing rules. */
async function policyReferrers(db: Db | Tx, id: string): Promise<string[]> {
  const severities = await db.selectFrom('severities').select('key').where('escalation_policy_id', '=', id).orderBy('rank').execute();
  const services = await db.selectFrom('services').select('slug').where('escalation_policy_id', '=', id).orderBy('slug').execute();
  const rules = await db.selectFrom('routing_rules').select(['id', 'name']).where('escalation_policy_id', '=', id).orderBy('position').execute();
  return [
    ...severities.map((s) => `severity ${s.key}`),
    ...services.map((s) => `service ${s.slug}`),
    ...rules.map((r) => `routing rule ${r.name} (${r.id})`),
  ];
}

export async function deleteEscalationPolicy({ ctx, input }: { ctx: Ctx; input: { policy: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const id = await findPolicyId(tx, input.policy);
    const row = await tx.selectFrom('escalation_policies').select(['name', 'managed_by']).where('id', '=', id).executeTakeFirstOrThrow();
    assertNotManaged({ managed_by: row.managed_by ?? null }, `escalation policy ${row.name}`);
    const referrers = await policyReferrers(tx, id);
    // Deleting it would silently change who is paged (or page nobody): make the admin choose.
    if (referrers.length > 0) throw conflict(`escalation policy ${input.policy} is still used by ${referrers.join(', ')}; point them at another policy (or none) first`);
    await tx.deleteFrom('escalation_policies').where('id', '=', id).execute();
    await recordAudit(ctx, tx, { action: 'escalation_policy.deleted', target: id, data: {} });
  });
}

export async function listEscalationPolicies({ ctx }: { ctx: Ctx; input?: unknown }): Promise<{ items: PolicyView[] }> {
  authorize(ctx.actor, 'read');
  const rows = await ctx.store.db.selectFrom('escalation_policies').select('id').orderBy('name').execute();
  return { items: await Promise.all(rows.map((r) => policyView(ctx.store.db, r.id))) };
}

export async function getEscalationPolicy({ ctx, input }: { ctx: Ctx; input: { policy: string } }): Promise<PolicyView> {
  authorize(ctx.actor, 'read');
  return policyView(ctx.store.db, await findPolicyId(ctx.store.db, input.policy));
}
