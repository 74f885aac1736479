import { z } from 'zod';
import { notFound, validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';
import { findVersionRow, parseStructure } from './runbook-records.js';
import { chosenPaths, loadRunViews, type RunView } from './run-view.js';

export const ChoosePathInput = z.object({
  incident: IncidentRef,
  run: z.string().trim().startsWith('run_', 'must be a runbook run id (run_…)').max(40),
  set: z.number().int().min(0).max(999),
  /** The option's number, or null to clear the choice (progress then follows what was done). */
  option: z.number().int().min(0).max(999).nullable(),
});

/**
 * Chooses which of a runbook's alternative paths this incident follows ("Single node failure
 * (worker)" rather than "(coordinator)"): progress counts that path only, and the choice is a
 * timeline event.
 */
export async function chooseRunPath({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RunView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(ChoosePathInput, input);
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const run = await tx.selectFrom('runbook_runs').selectAll().where('id', '=', data.run).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!run) throw notFound('runbook run', `${data.run} in incident #${incident.number}`);
    const draft = parseStructure(await findVersionRow(tx, run.runbook_version_id));
    const alternatives = draft.alternatives ?? [];
    const alt = alternatives[data.set];
    if (!alt) throw validation('set', alternatives.length === 0 ? 'this runbook offers no alternative paths' : `the runbook has ${alternatives.length} choice(s) (0–${alternatives.length - 1})`);
    if (data.option !== null && data.option >= alt.options.length) throw validation('option', `"${alt.title}" has ${alt.options.length} paths (0–${alt.options.length - 1})`);
    const chosen = chosenPaths(run);
    if (data.option === null) chosen.delete(data.set);
    else chosen.set(data.set, data.option);
    const now = ctx.clock.now();
    await tx.updateTable('runbook_runs').set({ chosen_paths: JSON.stringify(Object.fromEntries(chosen)), updated_at: now }).where('id', '=', run.id).execute();
    const drill = run.is_drill === 1 ? ' (DRILL)' : '';
    const body = data.option === null
      ? `Cleared the path chosen for *${alt.title}* in **${draft.title}**${drill}`
      : `Chose the path **${alt.options[data.option]}** for *${alt.title}* in **${draft.title}**${drill}`;
    await appendTimeline(ctx, tx, incident.id, 'runbook_path_chosen', body, { runId: run.id, set: data.set, option: data.option, isDrill: run.is_drill === 1 });
    return (await loadRunViews(tx, await findIncidentRow(tx, incident.id), now, run.id))[0]!;
  });
}
