import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import type { IncidentTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findSeverity } from '../lookups.js';
import { applyChecklistTemplates } from '../tasks/apply-checklists.js';
import { asFieldError } from './declare-incident.js';
import { findIncidentRow, toIncidentView, type IncidentView } from './incident-view.js';
import { ChangeSeverityInput } from './schemas.js';
import { runIncidentHooks } from './hooks.js';
import { appendTimeline } from './timeline.js';

export async function changeIncidentSeverity({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(ChangeSeverityInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIncidentRow(tx, data.incident);
    const severity = await findSeverity(tx, data.severity).catch(asFieldError('severity'));
    if (severity.key === row.severity) return toIncidentView(tx, row);
    return toIncidentView(tx, await applySeverityChange(ctx, tx, row, severity.key, data.reason));
  });
}

/**
 * The one place a severity moves, for humans and alerts alike: conditional update on the
 * version read, timeline event, the new level's checklists, and hooks (paging re-evaluates
 * its policy), in the caller's transaction. Throws CONFLICT when the row changed since it was
 * read. `severity` must be a key of the scheme.
 */
export async function applySeverityChange(ctx: Ctx, tx: Tx, row: IncidentTable, severity: string, reason?: string, data: Record<string, unknown> = {}): Promise<IncidentTable> {
  const now = ctx.clock.now();
  const updated = await tx
    .updateTable('incidents')
    .set({ severity, updated_at: now, version: row.version + 1 })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw conflict(`incident #${row.number} changed while you were acting on it; reload and try again`);
  const body = `Severity changed from **${row.severity}** to **${severity}**${reason ? `\n\n${reason}` : ''}`;
  await appendTimeline(ctx, tx, row.id, 'severity_changed', body, { ...data, from: row.severity, to: severity });
  await applyChecklistTemplates(ctx, tx, row.id, severity);
  const changed = await findIncidentRow(tx, row.id);
  await runIncidentHooks(ctx, tx, { type: 'severity_changed', incident: changed, from: row.severity, to: severity });
  return changed;
}
