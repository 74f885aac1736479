import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { transactionRetryingUniqueRaces } from '../../store/index.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { AllowRule, parseAllowRule } from './command-policy.js';
import { hashRunnerToken, RUNNER_TOKEN_PREFIX, toRunnerView, type RunnerView } from './runner-records.js';

const RuleInput = z.union([AllowRule, z.string().trim().min(1).max(500).transform((s, c) => {
  try {
    return parseAllowRule(s);
  } catch {
    c.addIssue({ code: 'custom', message: 'is not a valid rule (a command prefix, or regex:<pattern>)' });
    return z.NEVER;
  }
})]);

export const CreateRunnerInput = z.object({
  name: z.string().trim().min(1).max(60).regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ., _ and -'),
  allow: z.array(RuleInput).max(200).default([]),
});

/**
 * Registers a runner and returns its token once. The allow-list here is the server's half of the
 * check: a job is only handed to a runner whose list permits the command, and the runner checks
 * again against its own local list.
 */
export async function createRunner({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ runner: RunnerView; token: string }> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(CreateRunnerInput, input);
  // A concurrent create of the same name: the retry finds it taken (409), as on SQLite.
  return transactionRetryingUniqueRaces(ctx.store, async (tx) => {
    const taken = await tx.selectFrom('runners').select('id').where('name', '=', data.name).executeTakeFirst();
    if (taken) throw conflict(`a runner named ${data.name} exists`);
    const now = ctx.clock.now();
    const token = `${RUNNER_TOKEN_PREFIX}${randomToken(30)}`;
    const row = {
      id: newId('rnr', now),
      name: data.name,
      token_hash: hashRunnerToken(token),
      allow_list: JSON.stringify(data.allow),
      reported_allow_list: null,
      disabled: 0,
      created_by: ctx.actor.name,
      created_at: now,
      last_seen_at: null,
    };
    await tx.insertInto('runners').values(row).execute();
    await recordAudit(ctx, tx, { action: 'runner.created', target: row.id, data: { name: data.name, allow: data.allow } });
    return { runner: toRunnerView(row), token };
  });
}

export const UpdateRunnerInput = z.object({
  runner: z.string().trim().min(1).max(60),
  allow: z.array(RuleInput).max(200).optional(),
  disabled: z.boolean().optional(),
});

/** Changes a runner's allow-list or disables it; audited. */
export async function updateRunner({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RunnerView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(UpdateRunnerInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await tx.selectFrom('runners').selectAll().where(data.runner.startsWith('rnr_') ? 'id' : 'name', '=', data.runner).executeTakeFirst();
    if (!row) throw conflict(`no runner ${data.runner}`);
    const set: { allow_list?: string; disabled?: number } = {};
    if (data.allow) set.allow_list = JSON.stringify(data.allow);
    if (data.disabled !== undefined) set.disabled = data.disabled ? 1 : 0;
    if (Object.keys(set).length) await tx.updateTable('runners').set(set).where('id', '=', row.id).execute();
    await recordAudit(ctx, tx, { action: 'runner.updated', target: row.id, data: { allow: data.allow, disabled: data.disabled } });
    return toRunnerView({ ...row, ...set });
  });
}

export async function listRunners({ ctx }: { ctx: Ctx; input?: unknown }): Promise<{ items: RunnerView[] }> {
  authorize(ctx.actor, 'admin');
  const rows = await ctx.store.db.selectFrom('runners').selectAll().orderBy('name').execute();
  return { items: rows.map(toRunnerView) };
}
