import { z } from 'zod';
import { conflict, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, toIncidentView, type IncidentView } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { findUser } from '../lookups.js';
import { enqueuePages } from './enqueue-pages.js';
import { lockEscalation, nextWakeOf, saveEscalation } from './escalation-store.js';

const ReassignInput = z.object({
  incident: z.string(),
  user: z.string().trim().min(1),
  note: z.string().max(2000).optional(),
});

/**
 * Re-assigns an incident to a person by hand: they become its assignee and are paged at once
 * through their notification rules. The status does not change. While the incident is still
 * triggered, escalation carries on from the level it was at, but the pending level's timer
 * restarts now (it never moves earlier), so the new assignee gets that level's full delay to
 * acknowledge before the policy pages anyone else; once acknowledged, escalation stays stopped.
 * All in one transaction, locks in the order of a status change (incident, then escalation).
 */
export async function reassignIncident({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentView & { deliveries: number; escalationDueAt: string | null }> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(ReassignInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIncidentRow(tx, data.incident);
    if (row.status === 'resolved') throw conflict(`incident #${row.number} is resolved; re-open it first`);
    const user = await findUser(tx, data.user).catch(() => { throw validation('user', `user ${data.user} was not found`); });
    if (user.disabled) throw validation('user', `user ${user.email} is disabled`);
    const now = ctx.clock.now();
    const updated = await tx
      .updateTable('incidents')
      .set({ assignee_id: user.id, updated_at: now, version: row.version + 1 })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict(`incident #${row.number} changed meanwhile; try again`);

    let escalationDueAt: number | null = null;
    const esc = await lockEscalation(tx, ctx.store.dialect, row.id);
    if (esc && esc.state.status === 'triggered' && esc.state.dueAt !== null) {
      const { levels, repeatDelaySeconds } = esc.snapshot.policy;
      const waitSeconds = esc.state.levelIndex === 0 && esc.state.round > 0 ? repeatDelaySeconds : (levels[esc.state.levelIndex]?.delaySeconds ?? 0);
      const state = { ...esc.state, dueAt: Math.max(esc.state.dueAt, now + waitSeconds * 1000) };
      await saveEscalation(tx, { incidentId: row.id, state, generation: esc.generation + 1, nextAt: nextWakeOf(state), now });
      escalationDueAt = state.dueAt;
    }

    const key = `reassign:${newId('evt', now)}`;
    const paged = await enqueuePages(tx, { incidentId: row.id, actionKey: key, userIds: [user.id], dueAt: now, now, purpose: 'manual' });
    const from = row.assignee_id ? (await tx.selectFrom('users').select('name').where('id', '=', row.assignee_id).executeTakeFirst())?.name ?? row.assignee_id : null;
    const escalation = escalationDueAt !== null
      ? `Escalation continues at level ${esc!.state.levelIndex + 1} ${escalationDueAt > now ? `in ${Math.round((escalationDueAt - now) / 1000)}s` : 'now'} unless acknowledged.`
      : esc && esc.state.status !== 'resolved' ? 'Escalation stays stopped.' : '';
    await appendTimeline(
      ctx, tx, row.id, 'reassigned',
      `Re-assigned to ${user.name}${from ? ` (was ${from})` : ''} and paged now${paged.unreachable.length ? ` — **no contact method**, they were not reached` : ''}. ${escalation}${data.note ? `\n\n${data.note}` : ''}`.trim(),
      { userId: user.id, previous: row.assignee_id, key, deliveries: paged.created, unreachable: paged.unreachable.length > 0, escalationDueAt },
    );
    const view = await toIncidentView(tx, await findIncidentRow(tx, row.id));
    return { ...view, deliveries: paged.created, escalationDueAt: escalationDueAt === null ? null : new Date(escalationDueAt).toISOString() };
  });
}
