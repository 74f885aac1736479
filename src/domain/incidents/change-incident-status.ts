import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import type { IncidentTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { runIncidentHooks } from './hooks.js';
import { findIncidentRow, toIncidentView, type IncidentView } from './incident-view.js';
import { ChangeStatusInput } from './schemas.js';
import { eventForTarget, lifecycleTimesAfter, transition, type IncidentStatus, type StatusEvent } from './status.js';
import { appendTimeline } from './timeline.js';

const VERB: Record<StatusEvent, string> = {
  acknowledge: 'Acknowledged',
  investigate: 'Investigating',
  identify: 'Cause identified',
  monitor: 'Mitigated; monitoring',
  resolve: 'Resolved',
  reopen: 'Re-opened',
  retrigger: 'Acknowledgement timed out; paging again',
};

/**
 * Moves an incident through its lifecycle. The write is conditional on the status read, so two
 * responders acknowledging at once produce one acknowledgement and one CONFLICT.
 */
export async function changeIncidentStatus({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(ChangeStatusInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIncidentRow(tx, data.incident);
    const event = data.event ?? eventForTarget(data.status!, row.status as IncidentStatus);
    return toIncidentView(tx, await applyStatusEvent(ctx, tx, row, event, { note: data.note }));
  });
}

/**
 * The one place a status moves, for humans, alerts and the escalation worker alike: transition
 * table, conditional update, timeline event and hooks, in the caller's transaction. Throws
 * CONFLICT when the move is impossible or the row changed since it was read.
 */
export async function applyStatusEvent(
  ctx: Ctx,
  tx: Tx,
  row: IncidentTable,
  event: StatusEvent,
  options: { note?: string; body?: string; data?: Record<string, unknown> } = {},
): Promise<IncidentTable> {
  const current = row.status as IncidentStatus;
  const move = transition(current, event);
  const now = ctx.clock.now();
  const times = lifecycleTimesAfter(move.to, event, row, now);
  const updated = await tx
    .updateTable('incidents')
    .set({ status: move.to, ...times, updated_at: now, version: row.version + 1 })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .where('status', 'in', move.from)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw conflict(`incident #${row.number} changed while you were acting on it; reload and try again`);
  }
  const headline = options.body ?? VERB[event];
  const body = options.note ? `${headline}\n\n${options.note}` : headline;
  await appendTimeline(ctx, tx, row.id, 'status_changed', body, { ...options.data, from: current, to: move.to, event });
  const changed = await findIncidentRow(tx, row.id);
  await runIncidentHooks(ctx, tx, { type: 'status_changed', incident: changed, from: current, to: move.to });
  return changed;
}
