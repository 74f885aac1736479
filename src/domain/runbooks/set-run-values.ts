import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';
import { placeholderKey } from './placeholders.js';
import { loadRunViews, type RunView } from './run-view.js';

const Key = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.\- ]+$/, 'use letters, digits, _, -, . and spaces');

export const SetRunValuesInput = z.object({
  incident: IncidentRef,
  run: z.string().trim().startsWith('run_', 'must be a runbook run id (run_…)').max(40),
  /** Placeholder name (`pod-name`, `NODE_ID`, or as written `<pod-name>`) → value; null clears. */
  values: z.record(z.string().max(100), z.string().max(256).nullable()).refine((v) => Object.keys(v).length <= 100, 'at most 100 values'),
});

/**
 * Values responders give for placeholders the alert and incident could not fill. Commands still
 * refuse values with shell metacharacters (see fillPlaceholders), wherever they came from.
 */
export async function setRunValues({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RunView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(SetRunValuesInput, input);
  const cleaned: Record<string, string | null> = {};
  for (const [raw, value] of Object.entries(data.values)) {
    const name = raw.trim().replace(/^(?:<|\$\{|\$|\{|\[)|(?:>|\}|\])$/g, '');
    parseInput(Key, name, `values.${raw}`);
    cleaned[placeholderKey(name)] = value;
  }
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const run = await tx.selectFrom('runbook_runs').selectAll().where('id', '=', data.run).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!run) throw notFound('runbook run', `${data.run} in incident #${incident.number}`);
    const values = JSON.parse(run.fill_values) as Record<string, string>;
    for (const [key, value] of Object.entries(cleaned)) {
      if (value === null) delete values[key];
      else values[key] = value;
    }
    const now = ctx.clock.now();
    await tx.updateTable('runbook_runs').set({ fill_values: JSON.stringify(values), updated_at: now }).where('id', '=', run.id).execute();
    const list = Object.entries(cleaned).map(([k, v]) => `\`${k}\` = ${v === null ? '(cleared)' : `\`${v.replace(/`/g, "'")}\``}`);
    await appendTimeline(ctx, tx, incident.id, 'runbook_values_set', `Runbook values: ${list.join(', ')}`, { runId: run.id, values: cleaned });
    return (await loadRunViews(tx, incident, now, run.id))[0]!;
  });
}
