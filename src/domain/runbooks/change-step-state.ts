import { z } from 'zod';
import { actorId } from '../../core/actor.js';
import { conflict, notFound, validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';
import { fillPlaceholders } from './placeholders.js';
import { findVersionRow, flattenSteps, parseStructure } from './runbook-records.js';
import { STEP_ACTIONS, stepTransition, type StepState } from './step-state.js';
import { alertContext, fillValues, loadRunViews, markedSecretKeys, type RunView } from './run-view.js';

export const ChangeStepInput = z
  .object({
    incident: IncidentRef,
    run: z.string().trim().startsWith('run_', 'must be a runbook run id (run_…)').max(40),
    step: z.number().int().min(0).max(9999),
    action: z.enum(STEP_ACTIONS),
    reason: z.string().trim().max(2000).optional(),
  })
  .refine((v) => v.action !== 'skip' || (v.reason !== undefined && v.reason.length > 0), {
    message: 'is required when skipping a step: say why it does not apply',
    path: ['reason'],
  });

const VERB: Record<string, string> = { start: 'Started', done: 'Done', skip: 'Skipped', fail: 'Failed' };
const KIND: Record<string, string> = { start: 'runbook_step_started', done: 'runbook_step_done', skip: 'runbook_step_skipped', fail: 'runbook_step_failed' };

/**
 * Starts, completes, skips (with a reason) or fails one step of a runbook run. The write is
 * conditional on the state read, so two responders ticking the same step get one success and
 * one CONFLICT. Each transition is a timeline event.
 */
export async function changeStepState({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RunView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(ChangeStepInput, input);
  // Two first clicks on a pending step both insert; the loser gets a CONFLICT, not a 500.
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const run = await tx.selectFrom('runbook_runs').selectAll().where('id', '=', data.run).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!run) throw notFound('runbook run', `${data.run} in incident #${incident.number}`);
    const draft = parseStructure(await findVersionRow(tx, run.runbook_version_id));
    const flat = flattenSteps(draft);
    const entry = flat[data.step];
    if (!entry) throw validation('step', `the runbook has ${flat.length} steps (0–${flat.length - 1})`);
    const row = await tx.selectFrom('runbook_step_states').selectAll().where('run_id', '=', run.id).where('step_index', '=', data.step).executeTakeFirst();
    const current = (row?.state ?? 'pending') as StepState;
    const move = stepTransition(current, data.action);
    const now = ctx.clock.now();
    let filled: string | null = null;
    if (entry.step.command !== undefined) {
      const labels = (await alertContext(tx, incident.id))[0]?.labels ?? {};
      const service = incident.service_id ? await tx.selectFrom('services').select('slug').where('id', '=', incident.service_id).executeTakeFirst() : undefined;
      // Recorded as shown (secret values masked): step states and the timeline are read by everyone.
      filled = fillPlaceholders(entry.step.command, fillValues(incident, service?.slug ?? null, labels, JSON.parse(run.fill_values) as Record<string, string>), 'command', markedSecretKeys(run)).shown;
    }
    const fields = {
      state: move.to,
      actor_id: actorId(ctx.actor),
      actor_name: ctx.actor.name,
      at: now,
      started_at: move.to === 'started' ? now : (row?.started_at ?? null),
      reason: data.reason ?? null,
      filled_command: filled,
    };
    if (!row) {
      await tx.insertInto('runbook_step_states').values({ run_id: run.id, step_index: data.step, ...fields, version: 1 }).execute();
    } else {
      const updated = await tx
        .updateTable('runbook_step_states')
        .set({ ...fields, version: row.version + 1 })
        .where('run_id', '=', run.id)
        .where('step_index', '=', data.step)
        .where('version', '=', row.version)
        .where('state', 'in', move.from)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw conflict('the step changed while you were acting on it; reload and try again');
    }
    await tx.updateTable('runbook_runs').set({ updated_at: now }).where('id', '=', run.id).execute();
    const title = entry.step.text.split('\n')[0]!.slice(0, 200);
    const drill = run.is_drill === 1 ? ' (DRILL)' : '';
    let body = `${VERB[data.action]} step ${data.step + 1} of **${draft.title}**${drill}: ${title}`;
    if (data.reason) body += `\n\n${data.action === 'skip' ? 'Reason' : 'Note'}: ${data.reason}`;
    await appendTimeline(ctx, tx, incident.id, KIND[data.action]!, body, {
      runId: run.id,
      step: data.step,
      from: current,
      to: move.to,
      reason: data.reason ?? null,
      command: filled,
      isDrill: run.is_drill === 1,
    });
    return (await loadRunViews(tx, await findIncidentRow(tx, incident.id), now, run.id))[0]!;
  }).catch((error: unknown) => {
    if (ctx.store.dialect.isUniqueViolation(error)) throw conflict('someone else changed this step at the same moment; reload and try again');
    throw error;
  });
}
