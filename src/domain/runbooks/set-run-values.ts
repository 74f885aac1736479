import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';
import { isSecretName, placeholderKey, SECRET_MASK } from './placeholders.js';
import { loadRunViews, markedSecretKeys, type RunView } from './run-view.js';

const Key = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.\- ]+$/, 'use letters, digits, _, -, . and spaces');

const Value = z.string().max(256);

export const SetRunValuesInput = z.object({
  incident: IncidentRef,
  run: z.string().trim().startsWith('run_', 'must be a runbook run id (run_…)').max(40),
  /**
   * Placeholder name (`pod-name`, `NODE_ID`, or as written `<pod-name>`) → value; null clears.
   * `{"value": "…", "secret": true}` marks a value secret: masked everywhere but in the command a
   * runner executes. Names that look secret (`*_TOKEN`, `*_KEY`, `PASSWORD`, …) always are.
   */
  values: z
    .record(z.string().max(100), z.union([Value, z.strictObject({ value: Value, secret: z.boolean().default(false) })]).nullable())
    .refine((v) => Object.keys(v).length <= 100, 'at most 100 values'),
});

/**
 * Values responders give for placeholders the alert and incident could not fill. Secret ones
 * are stored (a runner needs them) but never shown: the timeline, the run view and job displays
 * read `********`. Commands still
 * refuse values with shell metacharacters (see fillPlaceholders), wherever they came from.
 */
export async function setRunValues({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RunView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(SetRunValuesInput, input);
  const cleaned: Record<string, string | null> = {};
  const markSecret = new Set<string>();
  for (const [raw, given] of Object.entries(data.values)) {
    const name = raw.trim().replace(/^(?:<|\$\{|\$|\{|\[)|(?:>|\}|\])$/g, '');
    parseInput(Key, name, `values.${raw}`);
    const key = placeholderKey(name);
    cleaned[key] = given === null || typeof given === 'string' ? given : given.value;
    if (given !== null && typeof given === 'object' && given.secret) markSecret.add(key);
  }
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const run = await tx.selectFrom('runbook_runs').selectAll().where('id', '=', data.run).where('incident_id', '=', incident.id).executeTakeFirst();
    if (!run) throw notFound('runbook run', `${data.run} in incident #${incident.number}`);
    const values = JSON.parse(run.fill_values) as Record<string, string>;
    // A mark stays until the value is cleared: re-typing a value must not unmask it.
    const marked = markedSecretKeys(run);
    for (const [key, value] of Object.entries(cleaned)) {
      if (value === null) {
        delete values[key];
        marked.delete(key);
      } else values[key] = value;
    }
    for (const key of markSecret) marked.add(key);
    const now = ctx.clock.now();
    await tx.updateTable('runbook_runs').set({ fill_values: JSON.stringify(values), secret_values: JSON.stringify([...marked].sort()), updated_at: now }).where('id', '=', run.id).execute();
    const isSecret = (k: string) => isSecretName(k) || marked.has(k);
    const shown = Object.fromEntries(Object.entries(cleaned).map(([k, v]) => [k, v !== null && isSecret(k) ? SECRET_MASK : v]));
    const list = Object.entries(shown).map(([k, v]) => `\`${k}\` = ${v === null ? '(cleared)' : `\`${v.replace(/`/g, "'")}\``}${v !== null && isSecret(k) ? ' (secret)' : ''}`);
    await appendTimeline(ctx, tx, incident.id, 'runbook_values_set', `Runbook values: ${list.join(', ')}`, { runId: run.id, values: shown, secret: Object.keys(cleaned).filter(isSecret) });
    return (await loadRunViews(tx, incident, now, run.id))[0]!;
  });
}
