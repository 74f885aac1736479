import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findService } from '../lookups.js';
import { asFieldError } from './declare-incident.js';
import { findIncidentRow, toIncidentView, type IncidentView } from './incident-view.js';
import { UpdateIncidentInput } from './schemas.js';
import { appendTimeline } from './timeline.js';

/** Edits title, summary or service; each change that differs is its own timeline event. */
export async function updateIncident({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(UpdateIncidentInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIncidentRow(tx, data.incident);
    // undefined: leave as is; null: clear; a ref: set.
    const service = typeof data.service === 'string' ? await findService(tx, data.service).catch(asFieldError('service')) : data.service;
    const changes: Partial<typeof row> = {};
    if (data.title !== undefined && data.title !== row.title) changes.title = data.title;
    if (data.summary !== undefined && data.summary !== row.summary) changes.summary = data.summary;
    if (service !== undefined && (service?.id ?? null) !== row.service_id) changes.service_id = service?.id ?? null;
    if (Object.keys(changes).length === 0) return toIncidentView(tx, row);
    const now = ctx.clock.now();
    const updated = await tx
      .updateTable('incidents')
      .set({ ...changes, updated_at: now, version: row.version + 1 })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict(`incident #${row.number} changed while you were acting on it; reload and try again`);
    if (changes.title !== undefined) await appendTimeline(ctx, tx, row.id, 'title_changed', `Title changed to "${changes.title}"`, { from: row.title, to: changes.title });
    if (changes.summary !== undefined) await appendTimeline(ctx, tx, row.id, 'summary_changed', 'Summary updated', {});
    if (changes.service_id !== undefined) await appendTimeline(ctx, tx, row.id, 'service_changed', `Service set to ${service?.name ?? 'none'}`, { to: service?.slug ?? null });
    return toIncidentView(tx, await findIncidentRow(tx, row.id));
  });
}
