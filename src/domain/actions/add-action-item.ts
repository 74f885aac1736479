import { actorId } from '../../core/actor.js';
import { validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { toActionItemViews, type ActionItemView } from './action-item-view.js';
import { setActionDueTimer } from './overdue-timer.js';
import { resolveOwner } from './resolve-owner.js';
import { AddActionItemInput } from './schemas.js';

/**
 * A follow-up from an incident (optionally a post-mortem of it): an owner, a due date in the
 * future, a priority. Its overdue reminder is scheduled in the same transaction, and the
 * incident's timeline records it.
 */
export async function addActionItem({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ActionItemView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(AddActionItemInput, input);
  const now = ctx.clock.now();
  if (data.dueAt <= now) throw validation('dueAt', 'is in the past: an action item is due later than now');
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const owner = await resolveOwner(tx, data.owner);
    const row = {
      id: newId('act', now), incident_id: incident.id, postmortem_id: data.postmortemId ?? null, service_id: incident.service_id,
      title: data.title, owner_id: owner.id, due_at: data.dueAt, priority: data.priority, status: 'open', reason: null,
      external_url: data.externalUrl ?? null, created_by: actorId(ctx.actor) ?? ctx.actor.name, created_at: now, updated_at: now,
      closed_at: null, closed_by: null,
    };
    await tx.insertInto('action_items').values(row).execute();
    await setActionDueTimer(ctx, tx, { itemId: row.id, dueAt: row.due_at });
    await appendTimeline(ctx, tx, incident.id, 'action_item_added', `Action item: **${data.title}** (owner ${owner.name}, due ${new Date(data.dueAt).toISOString().slice(0, 10)})`, {
      actionItemId: row.id, ownerId: owner.id, priority: data.priority,
    });
    return (await toActionItemViews(tx, [row], now))[0]!;
  });
}
