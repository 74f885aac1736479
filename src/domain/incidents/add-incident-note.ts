import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, toTimelineView, type TimelineEventView } from './incident-view.js';
import { AddNoteInput } from './schemas.js';
import { appendTimeline } from './timeline.js';

/** Notes are Markdown, stored as written; clients render them without raw HTML. */
export async function addIncidentNote({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<TimelineEventView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(AddNoteInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIncidentRow(tx, data.incident);
    const id = await appendTimeline(ctx, tx, row.id, 'note', data.body);
    return toTimelineView(await tx.selectFrom('timeline_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  });
}
