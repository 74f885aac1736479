import { z } from 'zod';
import { actorId } from '../../core/actor.js';
import { AppError, conflict, notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';
import { personOf, shownCommand, toJobView, type RunnerJobView } from './runner-records.js';

export const ApproveJobInput = z.object({ incident: IncidentRef, job: z.string().trim().startsWith('rjob_', 'must be a runner job id (rjob_…)').max(50) });

/** The second pair of eyes on a dangerous step: someone other than the requester releases it. */
export async function approveRunnerJob({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RunnerJobView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(ApproveJobInput, input);
  const approver = personOf(ctx.actor);
  if (!approver) throw new AppError('FORBIDDEN', 'only a person can approve a step');
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const job = await tx.selectFrom('runner_jobs').selectAll().where('id', '=', data.job).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!job) throw notFound('runner job', data.job);
    if (job.status !== 'requested') throw conflict(`the job is ${job.status}; only a job waiting for approval can be approved`);
    const requester = job.requested_by ? await personOfId(tx, job.requested_by) : null;
    if (requester === approver) throw new AppError('FORBIDDEN', 'a dangerous step needs a second person: you asked for it, so someone else must approve it');
    const now = ctx.clock.now();
    const updated = await tx
      .updateTable('runner_jobs')
      .set({ status: 'approved', approved_by: actorId(ctx.actor), approved_by_name: ctx.actor.name, approved_at: now })
      .where('id', '=', job.id)
      .where('status', '=', 'requested')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('the job changed while you were approving it');
    await recordAudit(ctx, tx, { action: 'runner_job.approved', target: job.id, data: { incident: incident.id, command: shownCommand(job), requestedBy: job.requested_by_name } });
    await appendTimeline(ctx, tx, incident.id, 'runner_job_approved', `Approved running step ${job.step_index + 1}: \`${shownCommand(job)}\` (asked by ${job.requested_by_name})`, { jobId: job.id, step: job.step_index });
    return toJobView({ ...job, status: 'approved', approved_by: actorId(ctx.actor), approved_by_name: ctx.actor.name, approved_at: now });
  });
}

/** A job records the actor id (user or key); compare the people behind them. */
async function personOfId(tx: Parameters<Parameters<Ctx['store']['transaction']>[0]>[0], id: string): Promise<string> {
  if (id.startsWith('key_')) {
    const key = await tx.selectFrom('api_keys').select(['user_id']).where('id', '=', id).executeTakeFirst();
    return key?.user_id ?? id;
  }
  return id;
}
