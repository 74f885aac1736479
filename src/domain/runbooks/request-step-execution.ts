import { z } from 'zod';
import { actorId } from '../../core/actor.js';
import { AppError, notFound, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';
import { checkCommand, type AllowRule } from './command-policy.js';
import { fillPlaceholders } from './placeholders.js';
import { findVersionRow, flattenSteps, parseStructure } from './runbook-records.js';
import { alertContext, fillValues, markedSecretKeys } from './run-view.js';
import { RUNNER_LIMITS, toJobView, type RunnerJobView } from './runner-records.js';
import { isShellLanguage } from './shell.js';

export const RequestExecutionInput = z.object({
  incident: IncidentRef,
  run: z.string().trim().startsWith('run_', 'must be a runbook run id (run_…)').max(40),
  step: z.number().int().min(0).max(9999),
  runner: z.string().trim().min(1).max(60).optional(),
  timeoutSeconds: z.number().int().min(1).max(RUNNER_LIMITS.maxTimeoutSeconds).default(RUNNER_LIMITS.defaultTimeoutSeconds),
});

/**
 * A human asks for a command step to run on a runner. Only ever called from a person's click:
 * nothing in alert handling reaches this. The filled command must have every placeholder
 * filled with a safe value, and a runner's server-side allow-list must permit it; otherwise
 * the refusal is recorded (audit + timeline) and returned as a job with status `refused`.
 * Dangerous steps wait in `requested` until a different person approves.
 */
export async function requestStepExecution({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RunnerJobView> {
  authorize(ctx.actor, 'respond');
  if (ctx.actor.type !== 'user' && ctx.actor.type !== 'apiKey') throw new AppError('FORBIDDEN', 'only a person can ask for a step to run');
  const data = parseInput(RequestExecutionInput, input);
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const run = await tx.selectFrom('runbook_runs').selectAll().where('id', '=', data.run).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!run) throw notFound('runbook run', `${data.run} in incident #${incident.number}`);
    const draft = parseStructure(await findVersionRow(tx, run.runbook_version_id));
    const entry = flattenSteps(draft)[data.step];
    if (!entry) throw validation('step', 'no such step in this runbook');
    const step = entry.step;
    if (step.kind !== 'command' || step.command === undefined || !isShellLanguage(step.language ?? '')) {
      throw validation('step', 'only shell command steps can run on a runner');
    }
    const labels = (await alertContext(tx, incident.id))[0]?.labels ?? {};
    const service = incident.service_id ? await tx.selectFrom('services').select('slug').where('id', '=', incident.service_id).executeTakeFirst() : undefined;
    const filled = fillPlaceholders(step.command, fillValues(incident, service?.slug ?? null, labels, JSON.parse(run.fill_values) as Record<string, string>), 'command', markedSecretKeys(run));
    if (filled.rejected.length) {
      throw new AppError('VALIDATION', `values for ${filled.rejected.join(', ')} contain shell metacharacters and are never pasted into a command`, {
        issues: filled.rejected.map((p) => ({ field: `values.${p}`, message: 'contains shell metacharacters; give a plain value' })),
      });
    }
    if (filled.missing.length) {
      throw new AppError('VALIDATION', `fill ${filled.missing.join(', ')} first (POST …/values)`, {
        issues: filled.missing.map((p) => ({ field: `values.${p}`, message: 'has no value yet' })),
      });
    }
    const runners = await tx.selectFrom('runners').selectAll().where('disabled', '=', 0).orderBy('name').execute();
    const candidates = data.runner ? runners.filter((r) => r.name === data.runner || r.id === data.runner) : runners;
    if (data.runner && candidates.length === 0) throw validation('runner', `no enabled runner named ${data.runner}`);
    let chosen: (typeof runners)[number] | undefined;
    let refusal = runners.length === 0 ? 'no runner is registered: executing steps is off until an admin adds one' : '';
    for (const candidate of candidates) {
      const decision = checkCommand(filled.text, JSON.parse(candidate.allow_list) as AllowRule[]);
      if (decision.allowed) {
        chosen = candidate;
        break;
      }
      refusal = candidates.length === 1 ? `runner ${candidate.name}: ${decision.reason}` : `no runner's allow-list permits it (${decision.reason})`;
    }
    const now = ctx.clock.now();
    const dangerous = step.dangerous;
    const status = !chosen ? 'refused' : dangerous ? 'requested' : 'approved';
    const row = {
      id: newId('rjob', now),
      incident_id: incident.id,
      run_id: run.id,
      step_index: data.step,
      runner_id: chosen?.id ?? null,
      // The real command only for the runner that claims it; people see secret values masked.
      command: filled.text,
      shown_command: filled.shown,
      dangerous: dangerous ? 1 : 0,
      status,
      requested_by: actorId(ctx.actor),
      requested_by_name: ctx.actor.name,
      requested_at: now,
      approved_by: status === 'approved' ? actorId(ctx.actor) : null,
      approved_by_name: status === 'approved' ? ctx.actor.name : null,
      approved_at: status === 'approved' ? now : null,
      claimed_by: null,
      started_at: null,
      finished_at: null,
      exit_code: null,
      output: '',
      output_truncated: 0,
      timeout_seconds: data.timeoutSeconds,
      reason: chosen ? null : refusal,
    };
    await tx.insertInto('runner_jobs').values(row).execute();
    await recordAudit(ctx, tx, {
      action: status === 'refused' ? 'runner_job.refused' : 'runner_job.requested',
      target: row.id,
      data: { incident: incident.id, run: run.id, step: data.step, command: filled.shown, runner: chosen?.name ?? null, dangerous, reason: row.reason },
    });
    const drill = run.is_drill === 1 ? ' (DRILL)' : '';
    const body =
      status === 'refused' ? `Refused to run step ${data.step + 1}${drill}: \`${filled.shown}\`\n\n${refusal}`
      : status === 'requested' ? `Asked to run dangerous step ${data.step + 1}${drill} on runner ${chosen!.name}: \`${filled.shown}\`\n\nWaiting for a second person's approval (${step.dangerReason ?? 'destructive'}).`
      : `Asked to run step ${data.step + 1}${drill} on runner ${chosen!.name}: \`${filled.shown}\``;
    await appendTimeline(ctx, tx, incident.id, status === 'refused' ? 'runner_job_refused' : 'runner_job_requested', body, { jobId: row.id, runId: run.id, step: data.step, status });
    return toJobView(row);
  });
}
