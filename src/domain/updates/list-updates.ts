import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, isoOrNull } from '../incidents/incident-view.js';
import { ListUpdatesInput } from './schemas.js';
import { toUpdateView, withDeliveryCounts, type UpdateView } from './update-view.js';

export interface UpdateList {
  items: UpdateView[];
  /** The deadline in force: the latest update's "next update by" (null: none, or resolved). */
  nextUpdateBy: string | null;
  /** The severity's cadence, the default gap to the next update. */
  cadenceSeconds: number | null;
}

/** An incident's updates, oldest first, and the deadline the UI counts down to. */
export async function listUpdates({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<UpdateList> {
  authorize(ctx.actor, 'read');
  const data = parseInput(ListUpdatesInput, input);
  const incident = await findIncidentRow(ctx.store.db, data.incident);
  const [rows, severity] = await Promise.all([
    ctx.store.db.selectFrom('incident_updates').selectAll().where('incident_id', '=', incident.id).orderBy('posted_at').orderBy('id').execute(),
    ctx.store.db.selectFrom('severities').select('update_cadence_seconds').where('key', '=', incident.severity).executeTakeFirst(),
  ]);
  const last = rows.at(-1);
  return {
    items: await withDeliveryCounts(ctx.store.db, rows.map(toUpdateView)),
    nextUpdateBy: incident.status === 'resolved' ? null : isoOrNull(last?.next_update_by ?? null),
    cadenceSeconds: severity?.update_cadence_seconds ?? null,
  };
}
