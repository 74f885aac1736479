import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import type { RunnerJobTable } from '../../store/schema.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';
import { maskSecretValues, secretValuesIn } from './placeholders.js';
import { alertContext, fillValues, markedSecretKeys } from './run-view.js';
import { authenticateRunner, findJobRow, RUNNER_LIMITS, runnerActor } from './runner-records.js';

export const JobOutputInput = z.object({
  job: z.string().trim().startsWith('rjob_').max(50),
  chunk: z.string().max(RUNNER_LIMITS.chunkBytes, `must be at most ${RUNNER_LIMITS.chunkBytes} characters; send output in pieces`),
});

async function runningJobOf(tx: Tx, runnerId: string, jobId: string) {
  const job = await findJobRow(tx, jobId);
  if (job.claimed_by !== runnerId) throw conflict('this job belongs to another runner');
  if (job.status !== 'running') throw conflict(`the job is ${job.status}, not running`);
  return job;
}

/**
 * A command that carried secret values may print them (`curl -v` echoes its headers): they are
 * masked in the output before it is stored or shown. A value split across two chunks is not
 * recognised; the runner sends output in pieces of up to 16 kB, flushed every few hundred ms.
 */
async function maskJobSecrets(tx: Tx, job: RunnerJobTable, chunk: string): Promise<string> {
  if (job.shown_command === null || job.shown_command === job.command) return chunk;
  const run = await tx.selectFrom('runbook_runs').selectAll().where('id', '=', job.run_id).executeTakeFirst();
  const incident = await tx.selectFrom('incidents').selectAll().where('id', '=', job.incident_id).executeTakeFirst();
  if (!run || !incident) return chunk;
  const labels = (await alertContext(tx, incident.id))[0]?.labels ?? {};
  const values = fillValues(incident, null, labels, JSON.parse(run.fill_values) as Record<string, string>);
  return maskSecretValues(chunk, secretValuesIn(values, markedSecretKeys(run)));
}

/** Output as it arrives, appended to the job (up to the cap) and shown on the timeline. */
export async function appendJobOutput({ ctx, token, input }: { ctx: Ctx; token: string | undefined; input: unknown }): Promise<{ accepted: number; truncated: boolean }> {
  return ctx.store.transaction(async (tx) => {
    // The token first: an unauthenticated caller learns nothing about the input's shape.
    const runner = await authenticateRunner(tx, token);
    const data = parseInput(JobOutputInput, input);
    const job = await runningJobOf(tx, runner.id, data.job);
    const room = Math.max(0, RUNNER_LIMITS.outputBytes - Buffer.byteLength(job.output));
    let chunk = await maskJobSecrets(tx, job, data.chunk);
    let truncated = job.output_truncated === 1;
    if (Buffer.byteLength(chunk) > room) {
      chunk = Buffer.from(chunk).subarray(0, room).toString('utf8').replace(/\uFFFD$/, '');
      truncated = true;
    }
    if (chunk.length === 0 && truncated === (job.output_truncated === 1)) return { accepted: 0, truncated };
    await tx.updateTable('runner_jobs').set({ output: job.output + chunk, output_truncated: truncated ? 1 : 0 }).where('id', '=', job.id).execute();
    if (chunk.length > 0) {
      const actorCtx: Ctx = { ...ctx, actor: runnerActor(runner) };
      const fence = chunk.includes('```') ? '~~~~' : '```';
      await appendTimeline(actorCtx, tx, job.incident_id, 'runner_job_output', `Output of step ${job.step_index + 1}:\n${fence}\n${chunk}\n${fence}`, { jobId: job.id, step: job.step_index, chunk });
    }
    return { accepted: chunk.length, truncated };
  });
}

export const FinishJobInput = z.object({
  job: z.string().trim().startsWith('rjob_').max(50),
  exitCode: z.number().int().min(-1).max(255).nullable().default(null),
  timedOut: z.boolean().default(false),
  truncated: z.boolean().default(false),
  refused: z.boolean().default(false),
  reason: z.string().max(2000).optional(),
});

/** The end of a job: succeeded (exit 0), failed (non-zero, killed, timed out) or refused by the runner's own allow-list. */
export async function finishRunnerJob({ ctx, token, input }: { ctx: Ctx; token: string | undefined; input: unknown }): Promise<{ status: string }> {
  return ctx.store.transaction(async (tx) => {
    const runner = await authenticateRunner(tx, token);
    const data = parseInput(FinishJobInput, input);
    const job = await runningJobOf(tx, runner.id, data.job);
    const actorCtx: Ctx = { ...ctx, actor: runnerActor(runner) };
    const now = ctx.clock.now();
    const status = data.refused ? 'refused' : data.exitCode === 0 && !data.timedOut ? 'succeeded' : 'failed';
    const reason = data.refused ? `runner: ${data.reason ?? 'not on the runner allow-list'}` : data.timedOut ? `timed out after ${job.timeout_seconds}s` : (data.reason ?? null);
    await tx
      .updateTable('runner_jobs')
      .set({ status, exit_code: data.exitCode, finished_at: now, reason, output_truncated: data.truncated || job.output_truncated === 1 ? 1 : 0 })
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .execute();
    await recordAudit(actorCtx, tx, { action: `runner_job.${status}`, target: job.id, data: { exitCode: data.exitCode, timedOut: data.timedOut, reason } });
    const what =
      status === 'refused' ? `Runner ${runner.name} refused step ${job.step_index + 1}: ${reason}`
      : status === 'succeeded' ? `Step ${job.step_index + 1} finished on runner ${runner.name} (exit 0)`
      : `Step ${job.step_index + 1} failed on runner ${runner.name}: ${data.timedOut ? reason : `exit ${data.exitCode ?? 'unknown'}`}${data.truncated ? ' (output truncated)' : ''}`;
    await appendTimeline(actorCtx, tx, job.incident_id, status === 'refused' ? 'runner_job_refused' : 'runner_job_finished', what, {
      jobId: job.id, step: job.step_index, status, exitCode: data.exitCode, timedOut: data.timedOut, truncated: data.truncated,
    });
    return { status };
  });
}
