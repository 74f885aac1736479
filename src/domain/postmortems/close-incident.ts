import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, iso } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';
import { postmortemOfIncident } from './postmortem-view.js';

/**
 * Closing is the step after resolution that says the learning is done. The incident keeps its
 * `resolved` status (so every metric, page and feed that knows `resolved` is unchanged); it gains
 * `closed_at`. The per-severity gate: when the severity has `postmortemRequired`, the incident
 * cannot be closed until its post-mortem is published (a CONFLICT that says so).
 */
export async function closeIncident({ ctx, input }: { ctx: Ctx; input: { incident: unknown } }): Promise<{ incident: number; closedAt: string }> {
  authorize(ctx.actor, 'respond');
  const ref = parseInput(IncidentRef, input.incident, 'incident');
  return ctx.store.transaction(async (tx) => {
    const row = await findIncidentRow(tx, ref);
    if (row.status !== 'resolved') throw conflict(`incident #${row.number} is ${row.status}; resolve it before closing`);
    if (row.closed_at != null) return { incident: Number(row.number), closedAt: iso(Number(row.closed_at)) };
    const severity = await tx.selectFrom('severities').select('postmortem_required').where('key', '=', row.severity).executeTakeFirst();
    if (Number(severity?.postmortem_required ?? 0) === 1) {
      const pm = await postmortemOfIncident(tx, row.id);
      if (pm?.status !== 'published') {
        throw conflict(`incident #${row.number} is ${row.severity}, which requires a published post-mortem before closing; ${pm ? `its post-mortem ${pm.id} is ${pm.status.replace('_', ' ')}` : 'it has none yet'}`);
      }
    }
    const now = ctx.clock.now();
    const updated = await tx.updateTable('incidents').set({ closed_at: now }).where('id', '=', row.id).where('status', '=', 'resolved').where('closed_at', 'is', null).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict(`incident #${row.number} changed while you were closing it; reload and try again`);
    await appendTimeline(ctx, tx, row.id, 'closed', 'Closed');
    return { incident: Number(row.number), closedAt: iso(now) };
  });
}
