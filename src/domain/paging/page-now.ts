import { z } from 'zod';
import { conflict, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { appendTimeline } from '../incidents/timeline.js';
import { findUser } from '../lookups.js';
import { whoIsOnCall } from '../oncall/index.js';
import { enqueuePages } from './enqueue-pages.js';
import { loadSchedule } from './schedules-repo.js';

const PageInput = z
  .object({ incident: z.string(), user: z.string().optional(), schedule: z.string().optional(), note: z.string().max(2000).optional() })
  .refine((v) => (v.user === undefined) !== (v.schedule === undefined), { path: ['user'], message: 'give exactly one of user or schedule' });

/**
 * "Page this person / whoever is on call for this schedule, now", by hand. Goes out whatever the
 * incident's status (a responder asking for help on an acknowledged incident), not once resolved.
 */
export async function pageNow({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ userIds: string[]; deliveries: number }> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(PageInput, input);
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    if (incident.status === 'resolved') throw conflict(`incident #${incident.number} is resolved; re-open it first`);
    const now = ctx.clock.now();
    let userIds: string[];
    let why: string;
    if (data.user) {
      const user = await findUser(tx, data.user).catch(() => { throw validation('user', `user ${data.user} was not found`); });
      userIds = [user.id];
      why = user.name;
    } else {
      const schedule = await loadSchedule(tx, data.schedule!).catch(() => { throw validation('schedule', `schedule ${data.schedule} was not found`); });
      const r = whoIsOnCall(schedule, now);
      if (r.userIds.length === 0) throw conflict(`nobody is on call for ${schedule.name} right now (${r.reason})`);
      userIds = r.userIds;
      why = `on-call for ${schedule.name}`;
    }
    const key = `manual:${newId('evt', now)}`;
    const result = await enqueuePages(tx, { incidentId: incident.id, actionKey: key, userIds, dueAt: now, now, purpose: 'manual' });
    await appendTimeline(ctx, tx, incident.id, 'paged', `Paged by hand: ${why}${data.note ? `\n\n${data.note}` : ''}${result.unreachable.length ? ` (no contact method: ${result.unreachable.join(', ')})` : ''}`, { manual: true, userIds, key });
    return { userIds, deliveries: result.created };
  });
}
