import { actorId } from '../../core/actor.js';
import { newId } from '../../core/ids.js';
import type { TimelineEventTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';

/**
 * A timeline event as a row, for the paging batch writer to insert many at once. The same
 * fields `appendTimeline` writes; the id is made now, so events keep the order they were made in.
 */
export function timelineRow(ctx: Ctx, incidentId: string, kind: string, body: string, data: Record<string, unknown> = {}): TimelineEventTable {
  const at = ctx.clock.now();
  return {
    id: newId('evt', at),
    incident_id: incidentId,
    at,
    kind,
    actor_type: ctx.actor.type,
    actor_id: actorId(ctx.actor),
    actor_name: ctx.actor.name,
    body,
    data: JSON.stringify(data),
  };
}
