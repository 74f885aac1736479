import type { Tx } from '../../store/index.js';
import type { TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import type { EscalationSnapshot } from '../escalation/index.js';
import { appendTimeline } from '../incidents/timeline.js';
import { enqueuePages } from './enqueue-pages.js';
import { lockEscalation } from './escalation-store.js';
import { pagedPeople } from './page-now.js';
import { loadTargetResolver } from './targets.js';
import { upsertTimer } from './timers.js';

/**
 * "Escalate if not resolved in N minutes": a policy's `ifUnresolved` entries run on their own
 * durable timers, one per entry, set when escalation starts (or a policy takes over). They fire
 * whether or not the incident was acknowledged: an acknowledgement pauses the levels, not this
 * clock. The snapshot's `takenAt` fences them: a policy that took over since makes them stale.
 */
interface UnresolvedPayload {
  incidentId: string;
  index: number;
  takenAt: number;
}

const timerKey = (incidentId: string, index: number): string => `unresolved:${incidentId}:${index}`;

export async function scheduleUnresolvedPages(tx: Tx, incidentId: string, snapshot: EscalationSnapshot, startedAt: number, now: number): Promise<void> {
  for (const [index, entry] of (snapshot.policy.ifUnresolved ?? []).entries()) {
    const payload: UnresolvedPayload = { incidentId, index, takenAt: snapshot.takenAt };
    await upsertTimer(tx, { key: timerKey(incidentId, index), kind: 'escalate_unresolved', payload: { ...payload }, runAt: startedAt + entry.afterSeconds * 1000, generation: 1, now });
  }
}

/** The timer handler: pages each entry still due; every timer is done after one run (stale). */
export async function pageUnresolvedDue(ctx: Ctx, tx: Tx, timers: readonly TimerTable[], held: () => Promise<ReadonlySet<string>>): Promise<{ stale: TimerTable[] }> {
  const mine = await held();
  const now = ctx.clock.now();
  for (const timer of timers) {
    if (!mine.has(timer.id)) continue;
    const payload = JSON.parse(timer.payload) as UnresolvedPayload;
    const esc = await lockEscalation(tx, ctx.store.dialect, payload.incidentId);
    const incident = await tx.selectFrom('incidents').select(['id', 'status']).where('id', '=', payload.incidentId).executeTakeFirst();
    if (!esc || !incident || incident.status === 'resolved' || esc.snapshot.takenAt !== payload.takenAt) continue;
    const entry = esc.snapshot.policy.ifUnresolved?.[payload.index];
    if (!entry) continue;
    const resolve = await loadTargetResolver(tx, entry.targets, now);
    const userIds = [...new Set(entry.targets.flatMap((t) => resolve(t, now)))];
    const after = entry.afterSeconds % 60 === 0 ? `${entry.afterSeconds / 60} min` : `${entry.afterSeconds} s`;
    if (userIds.length === 0) {
      await appendTimeline(ctx, tx, incident.id, 'escalation_skipped', `Not resolved ${after} after escalation started, but its "if unresolved" targets resolve to nobody right now.`, { unresolved: payload.index });
      continue;
    }
    // On an acknowledged incident an ordinary page would be cancelled as "acknowledged before
    // it was sent"; this one is meant for exactly that case, so it goes out like a page by hand.
    const purpose = incident.status === 'triggered' ? 'page' : 'manual';
    const paged = await enqueuePages(tx, { incidentId: incident.id, actionKey: timerKey(incident.id, payload.index), userIds, dueAt: now, now, purpose });
    const people = await pagedPeople(tx, userIds, paged.unreachable);
    const unreachable = people.filter((p) => !p.reachable).map((p) => p.name);
    await appendTimeline(
      ctx, tx, incident.id, 'paged',
      `Not resolved ${after} after escalation started (the incident is ${incident.status}): paged ${people.map((p) => p.name).join(', ')}.${unreachable.length ? ` No contact method: ${unreachable.join(', ')}.` : ''}`,
      { unresolved: payload.index, userIds, key: timerKey(incident.id, payload.index) },
    );
  }
  // One-shot: the worker deletes each (if unchanged) once this transaction commits.
  return { stale: [...timers] };
}
