import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';
import { AllowRule, checkCommand } from './command-policy.js';
import { authenticateRunner, RUNNER_LIMITS, runnerActor, shownCommand } from './runner-records.js';

export const RegisterRunnerInput = z.object({
  allow: z.array(AllowRule).max(200).default([]),
  version: z.string().max(40).optional(),
  hostname: z.string().max(200).optional(),
});

/** A runner says hello with its token and reports its local allow-list (shown to admins, not trusted). */
export async function registerRunner({ ctx, token, input }: { ctx: Ctx; token: string | undefined; input: unknown }): Promise<{ id: string; name: string; allowList: AllowRule[] }> {
  return ctx.store.transaction(async (tx) => {
    const runner = await authenticateRunner(tx, token);
    const data = parseInput(RegisterRunnerInput, input);
    const actorCtx: Ctx = { ...ctx, actor: runnerActor(runner) };
    await tx.updateTable('runners').set({ reported_allow_list: JSON.stringify(data.allow), last_seen_at: ctx.clock.now() }).where('id', '=', runner.id).execute();
    await recordAudit(actorCtx, tx, { action: 'runner.registered', target: runner.id, data: { allow: data.allow, version: data.version ?? null, hostname: data.hostname ?? null } });
    return { id: runner.id, name: runner.name, allowList: JSON.parse(runner.allow_list) as AllowRule[] };
  });
}

export interface ClaimedJob {
  id: string;
  incidentId: string;
  /** The real command: only the runner gets it, to execute. */
  command: string;
  /** The same with secret values masked, for the runner's own logs. */
  shownCommand: string;
  argv: string[];
  timeoutSeconds: number;
  outputLimitBytes: number;
}

/**
 * Hands the runner its oldest approved job, re-checking the server allow-list at this moment
 * (an admin may have narrowed it since the request). The claim is a conditional update, so
 * two pollers of one runner never both get the job.
 */
export async function claimRunnerJob({ ctx, token, touch = true }: { ctx: Ctx; token: string | undefined; touch?: boolean }): Promise<ClaimedJob | null> {
  return ctx.store.transaction(async (tx) => {
    const runner = await authenticateRunner(tx, token);
    const actorCtx: Ctx = { ...ctx, actor: runnerActor(runner) };
    const now = ctx.clock.now();
    // Long polls re-check often; only the first check of a poll records that the runner is alive.
    if (touch) await tx.updateTable('runners').set({ last_seen_at: now }).where('id', '=', runner.id).execute();
    const job = await ctx.store.dialect
      .forUpdateSkipLocked(
        tx.selectFrom('runner_jobs').selectAll().where('runner_id', '=', runner.id).where('status', '=', 'approved').orderBy('requested_at').orderBy('id').limit(1),
      )
      .executeTakeFirst();
    if (!job) return null;
    const decision = checkCommand(job.command, JSON.parse(runner.allow_list) as AllowRule[]);
    if (!decision.allowed) {
      await tx.updateTable('runner_jobs').set({ status: 'refused', reason: `server: ${decision.reason}`, finished_at: now }).where('id', '=', job.id).where('status', '=', 'approved').execute();
      await recordAudit(actorCtx, tx, { action: 'runner_job.refused', target: job.id, data: { side: 'server', reason: decision.reason } });
      await appendTimeline(actorCtx, tx, job.incident_id, 'runner_job_refused', `Refused to run \`${shownCommand(job)}\`: ${decision.reason}`, { jobId: job.id, step: job.step_index, side: 'server' });
      return null;
    }
    const claimed = await tx
      .updateTable('runner_jobs')
      .set({ status: 'running', claimed_by: runner.id, started_at: now })
      .where('id', '=', job.id)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    await recordAudit(actorCtx, tx, { action: 'runner_job.started', target: job.id, data: { command: shownCommand(job) } });
    await appendTimeline(actorCtx, tx, job.incident_id, 'runner_job_started', `Runner ${runner.name} started step ${job.step_index + 1}: \`${shownCommand(job)}\``, { jobId: job.id, step: job.step_index });
    return { id: job.id, incidentId: job.incident_id, command: job.command, shownCommand: shownCommand(job), argv: decision.argv, timeoutSeconds: job.timeout_seconds, outputLimitBytes: RUNNER_LIMITS.outputBytes };
  });
}
