import { actorId } from '../../core/actor.js';
import { validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { enqueueUpdateDeliveries } from '../audiences/enqueue-update.js';
import { completeCommTasks } from '../audiences/comm-tasks.js';
import { mirrorStakeholderUpdate } from '../statuspages/post-public-update.js';
import { clearUpdateDueTimer, setUpdateDueTimer } from './cadence.js';
import { PostUpdateInput } from './schemas.js';
import { cadenceMs, latestUpdate, toUpdateView, updateTime, withDeliveryCounts, type UpdateView } from './update-view.js';

/**
 * Posts a stakeholder update. In one transaction: the update row, its timeline event, whether
 * the previous deadline was kept, and the cadence timer moved to the new "next update by"
 * (absent: now + the severity's cadence; null: none; never after a resolution).
 */
export async function postUpdate({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<UpdateView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(PostUpdateInput, input);
  const now = ctx.clock.now();
  if (data.kind === 'resolution' && data.nextUpdateBy != null) throw validation('nextUpdateBy', 'a resolution promises no next update');
  if (data.nextUpdateBy != null && data.nextUpdateBy <= now) throw validation('nextUpdateBy', 'must be in the future');
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    const previous = await latestUpdate(tx, incident.id);
    const cadence = await cadenceMs(tx, incident.severity);
    // A resolved incident owes no more updates (one may still be posted, e.g. a follow-up).
    const owesNone = data.kind === 'resolution' || incident.status === 'resolved';
    if (incident.status === 'resolved' && data.nextUpdateBy != null) throw validation('nextUpdateBy', 'the incident is resolved: no next update is owed');
    const nextUpdateBy = owesNone ? null : data.nextUpdateBy === undefined ? (cadence === null ? null : now + cadence) : data.nextUpdateBy;
    const row = {
      id: newId('upd', now),
      incident_id: incident.id,
      kind: data.kind,
      body: data.body,
      audiences: JSON.stringify([...new Set(data.audiences)]),
      author_id: actorId(ctx.actor),
      author_name: ctx.actor.name,
      posted_at: now,
      next_update_by: nextUpdateBy,
    };
    await tx.insertInto('incident_updates').values(row).execute();
    if (previous?.next_update_by != null) {
      const kept = now <= previous.next_update_by;
      // A missed deadline was recorded when it passed (the reminder); a late update closes it.
      await appendTimeline(
        ctx, tx, incident.id, kept ? 'update_deadline_kept' : 'update_posted_late',
        kept ? `Update posted before its deadline (${updateTime(previous.next_update_by)})` : `Update posted ${Math.round((now - previous.next_update_by) / 60_000)} min after its deadline`,
        { deadline: previous.next_update_by, postedAt: now, lateByMs: Math.max(0, now - previous.next_update_by) },
      );
    }
    await appendTimeline(
      ctx, tx, incident.id, 'update_posted',
      `**${data.kind[0]!.toUpperCase()}${data.kind.slice(1)} update** to ${JSON.parse(row.audiences).join(', ')}${nextUpdateBy === null ? '' : ` (next update by ${updateTime(nextUpdateBy)})`}\n\n${data.body}`,
      { updateId: row.id, kind: data.kind, audiences: JSON.parse(row.audiences), nextUpdateBy },
    );
    const audiences = JSON.parse(row.audiences) as string[];
    // A public update also goes to the status pages the incident is published on.
    if (audiences.includes('public')) await mirrorStakeholderUpdate(tx, { incidentId: incident.id, kind: data.kind, body: data.bodies.public ?? data.body, at: now });
    // Internal groups and responders: queued deliveries, sent by the worker after the commit.
    await enqueueUpdateDeliveries(tx, { update: row, incident, audiences, bodies: data.bodies, now });
    await completeCommTasks(ctx, tx, incident.id, audiences);
    if (nextUpdateBy === null) await clearUpdateDueTimer(tx, incident.id);
    else await setUpdateDueTimer(ctx, tx, { incidentId: incident.id, dueAt: nextUpdateBy, step: 0 }, nextUpdateBy);
    const [view] = await withDeliveryCounts(tx, [toUpdateView(row)]);
    return view!;
  });
}
