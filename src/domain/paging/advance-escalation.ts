import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { planEscalation } from '../escalation/index.js';
import { runIncidentHooks } from '../incidents/hooks.js';
import { transition, type IncidentStatus } from '../incidents/status.js';
import { appendTimeline } from '../incidents/timeline.js';
import { enqueuePages } from './enqueue-pages.js';
import { lockEscalation, saveEscalation } from './escalation-store.js';
import { loadTargetResolver, policyTargets } from './targets.js';

export interface AdvanceResult {
  outcome: 'stale' | 'advanced';
  nextAt: number | null;
  /** Delivery rows created (0 when the step re-ran after a crash: the unique key held). */
  deliveries: number;
}

/**
 * One escalation timer firing, inside the worker's transaction: lock the incident and its
 * escalation row (in that order, the same order as a status change, so the two never deadlock),
 * check the fencing generation, plan, then write the new state, the next timer, the deliveries
 * and the timeline together. A stale generation means an ack/resolve won the race: do nothing.
 */
export async function advanceEscalation(
  ctx: Ctx,
  tx: Tx,
  input: { incidentId: string; generation: number; fence?: () => Promise<boolean> },
): Promise<AdvanceResult> {
  const incident = await ctx.store.dialect.forUpdate(tx.selectFrom('incidents').selectAll().where('id', '=', input.incidentId)).executeTakeFirst();
  const esc = incident ? await lockEscalation(tx, ctx.store.dialect, input.incidentId) : null;
  if (!incident || !esc || esc.generation !== input.generation) return { outcome: 'stale', nextAt: null, deliveries: 0 };
  // The worker's claim on the timer, re-checked under the locks: a lease that ran out while this
  // instance was paused belongs to someone else now.
  if (input.fence && !(await input.fence())) return { outcome: 'stale', nextAt: null, deliveries: 0 };
  const now = ctx.clock.now();
  const resolve = await loadTargetResolver(tx, policyTargets(esc.snapshot.policy), now);
  const plan = planEscalation(esc.snapshot, esc.state, now, resolve);
  const nextAt = plan.next?.dueAt ?? null;
  await saveEscalation(tx, { incidentId: input.incidentId, state: plan.state, generation: esc.generation, nextAt, now });

  const userIds = [...new Set(plan.actions.flatMap((a) => (a.type === 'notify' ? a.userIds : [])))];
  const names = new Map(
    userIds.length ? (await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.name]) : [],
  );
  let deliveries = 0;
  for (const action of plan.actions) {
    switch (action.type) {
      case 'retrigger': {
        const current = incident.status as IncidentStatus;
        if (current === 'triggered' || current === 'resolved') break;
        const move = transition(current, 'retrigger');
        const updated = await tx
          .updateTable('incidents')
          .set({ status: move.to, updated_at: now, version: incident.version + 1 })
          .where('id', '=', incident.id)
          .where('status', 'in', move.from)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) break;
        await appendTimeline(ctx, tx, incident.id, 'status_changed', `Acknowledgement timed out; paging again`, { from: current, to: move.to, event: 'retrigger', reason: action.reason });
        const changed = await tx.selectFrom('incidents').selectAll().where('id', '=', incident.id).executeTakeFirstOrThrow();
        await runIncidentHooks(ctx, tx, { type: 'status_changed', incident: changed, from: current, to: move.to });
        break;
      }
      case 'notify': {
        const result = await enqueuePages(tx, { incidentId: incident.id, actionKey: `step:${action.key}`, userIds: action.userIds, dueAt: action.dueAt, now, purpose: 'page' });
        deliveries += result.created;
        const who = action.userIds.map((id) => names.get(id) ?? id).join(', ');
        const unreachable = result.unreachable.map((id) => names.get(id) ?? id);
        await appendTimeline(
          ctx, tx, incident.id, 'paged',
          `Paged ${who} (level ${action.level + 1}, round ${action.round + 1})${unreachable.length ? `. **No contact method** for ${unreachable.join(', ')}: they were not reached.` : ''}`,
          { level: action.level, round: action.round, userIds: action.userIds, unreachable: result.unreachable, reason: action.reason, lateByMs: action.lateByMs, key: action.key },
        );
        break;
      }
      case 'skip':
        await appendTimeline(ctx, tx, incident.id, 'escalation_skipped', action.reason, { level: action.level, round: action.round, cause: action.cause });
        break;
      case 'exhausted':
        await appendTimeline(ctx, tx, incident.id, 'escalation_exhausted', `Escalation finished without an acknowledgement: ${action.reason}`, {});
        break;
    }
  }
  return { outcome: 'advanced', nextAt, deliveries };
}
