import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
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
    const now = ctx.clock.now();
    const updated = await tx
      .updateTable('incidents')
      .set({ severity: severity.key, updated_at: now, version: row.version + 1 })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict(`incident #${row.number} changed while you were acting on it; reload and try again`);
    const body = `Severity changed from **${row.severity}** to **${severity.key}**${data.reason ? `\n\n${data.reason}` : ''}`;
    await appendTimeline(ctx, tx, row.id, 'severity_changed', body, { from: row.severity, to: severity.key });
    await applyChecklistTemplates(ctx, tx, row.id, severity.key);
    const changed = await findIncidentRow(tx, row.id);
    await runIncidentHooks(ctx, tx, { type: 'severity_changed', incident: changed, from: row.severity, to: severity.key });
    return toIncidentView(tx, changed);
  });
}
