import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { enqueuePages } from './enqueue-pages.js';
import { pagedPeople } from './page-now.js';
import { lockEscalation, nextWakeOf, saveEscalation } from './escalation-store.js';
import { loadTargetResolver } from './targets.js';

const NextLevelInput = z.object({ incident: z.string(), note: z.string().max(2000).optional() });

export interface NextLevelResult {
  level: number;
  round: number;
  /** `escalated`: the escalation's pending level falls due now and the worker pages it as usual. `paged`: paged by hand, escalation left paused. */
  mode: 'escalated' | 'paged';
  userIds: string[];
  deliveries: number;
}

/**
 * "Page the next on-call now": the level the incident's escalation would page next. While the
 * incident is triggered, that pending step is simply made due now, so it goes out through the
 * worker with its usual timeline entry and the levels after it keep their delays. Once someone
 * acknowledged, escalation is paused: the next level's people are paged by hand and escalation
 * stays paused (acknowledging is a promise somebody is on it; asking for help does not undo it).
 */
export async function pageNextLevel({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<NextLevelResult> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(NextLevelInput, input);
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    if (incident.status === 'resolved') throw conflict(`incident #${incident.number} is resolved; re-open it first`);
    // Incident first, then escalation: the lock order of a status change.
    await tx.updateTable('incidents').set({ updated_at: ctx.clock.now() }).where('id', '=', incident.id).execute();
    const esc = await lockEscalation(tx, ctx.store.dialect, incident.id);
    if (!esc) throw conflict(`incident #${incident.number} has no escalation policy; page a person or a schedule instead`);
    const { state, snapshot } = esc;
    if (state.dueAt === null) throw conflict(`every level of escalation policy ${snapshot.policy.name ?? snapshot.policyId ?? ''} has been paged; page a person or a schedule instead`);
    const now = ctx.clock.now();
    const step = { level: state.levelIndex, round: state.round };
    const where = `level ${step.level + 1} of ${snapshot.policy.levels.length}`;
    const note = data.note ? `\n\n${data.note}` : '';
    if (state.status === 'triggered') {
      const next = { ...state, dueAt: Math.min(state.dueAt, now) };
      await saveEscalation(tx, { incidentId: incident.id, state: next, generation: esc.generation + 1, nextAt: nextWakeOf(next), now });
      await appendTimeline(ctx, tx, incident.id, 'escalation_advanced', `Asked to page the next level now: ${where}.${note}`, { ...step, mode: 'escalated' });
      return { ...step, mode: 'escalated', userIds: [], users: [], deliveries: 0 };
    }
    const level = snapshot.policy.levels[step.level]!;
    const resolve = await loadTargetResolver(tx, level.targets, now);
    const userIds = [...new Set(level.targets.flatMap((t) => resolve(t, now)))];
    if (userIds.length === 0) throw conflict(`${where} resolves to nobody right now (${level.targets.map((t) => `${t.type} ${t.id}`).join(', ')})`);
    const key = `manual:${newId('evt', now)}`;
    const paged = await enqueuePages(tx, { incidentId: incident.id, actionKey: key, userIds, dueAt: now, now, purpose: 'manual' });
    const users = await pagedPeople(tx, userIds, paged.unreachable);
    const names = new Map(users.map((u) => [u.id, u.name]));
    await appendTimeline(
      ctx, tx, incident.id, 'paged',
      `Paged ${where} by hand: ${userIds.map((id) => names.get(id) ?? id).join(', ')}. Escalation stays paused (the incident is ${incident.status}).${paged.unreachable.length ? ` No contact method: ${paged.unreachable.map((id) => names.get(id) ?? id).join(', ')}.` : ''}${note}`,
      { manual: true, ...step, userIds, key },
    );
    return { ...step, mode: 'paged', userIds, users, deliveries: paged.created };
  });
}
