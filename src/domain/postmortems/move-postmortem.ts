import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { appendTimeline } from '../incidents/timeline.js';
import { scheduleDueReminder } from './due-reminder.js';
import { findPostmortemRow, toPostmortemView, type PostmortemView } from './postmortem-view.js';
import { MovePostmortemInput, type PostmortemMove, type PostmortemStatus } from './schemas.js';

/** The lifecycle: draft → in_review → published; `return` sends it back to draft for changes. */
const MOVES: Record<PostmortemMove, { from: PostmortemStatus[]; to: PostmortemStatus; verb: string }> = {
  submit: { from: ['draft'], to: 'in_review', verb: 'submitted for review' },
  publish: { from: ['in_review'], to: 'published', verb: 'published' },
  return: { from: ['in_review', 'published'], to: 'draft', verb: 'returned to draft' },
};

/**
 * Moves a post-mortem through its lifecycle, conditionally on the status read. Publishing needs
 * every covered incident resolved (the impact window must have an end) and deletes the due-date
 * reminder; returning to draft puts it back if the due date is still ahead.
 */
export async function movePostmortem({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PostmortemView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(MovePostmortemInput, input);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const row = await findPostmortemRow(tx, data.postmortem);
    const move = MOVES[data.move];
    if (!move.from.includes(row.status as PostmortemStatus)) {
      throw conflict(`cannot ${data.move} a post-mortem that is ${row.status}; ${data.move} is allowed from ${move.from.join(', ')}`);
    }
    const incidents = await tx
      .selectFrom('postmortem_incidents').innerJoin('incidents', 'incidents.id', 'postmortem_incidents.incident_id')
      .select(['incidents.id', 'incidents.number', 'incidents.status']).where('postmortem_incidents.postmortem_id', '=', row.id).execute();
    if (move.to === 'published') {
      const open = incidents.filter((i) => i.status !== 'resolved');
      if (open.length) throw conflict(`cannot publish while incident ${open.map((i) => `#${i.number}`).join(', ')} is not resolved`);
    }
    const updated = await tx
      .updateTable('postmortems')
      .set({
        status: move.to, updated_at: now, version: Number(row.version) + 1,
        ...(move.to === 'in_review' ? { submitted_at: now } : {}),
        ...(move.to === 'published' ? { published_at: now } : {}),
        ...(move.to === 'draft' ? { published_at: null } : {}),
      })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict(`post-mortem ${row.id} changed while you were acting on it; reload and try again`);
    const due = row.due_at === null ? null : Number(row.due_at);
    if (move.to === 'published') await scheduleDueReminder(ctx, tx, row.id, null);
    if (move.to === 'draft' && row.status === 'published' && due !== null && due > now) await scheduleDueReminder(ctx, tx, row.id, due);
    for (const i of incidents) await appendTimeline(ctx, tx, i.id, 'postmortem_status', `Post-mortem ${move.verb}`, { postmortemId: row.id, from: row.status, to: move.to });
    await recordAudit(ctx, tx, { action: `postmortem.${data.move}`, target: row.id });
    return toPostmortemView(tx, await findPostmortemRow(tx, row.id), now);
  });
}
