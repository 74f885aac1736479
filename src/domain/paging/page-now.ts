import { z } from 'zod';
import { conflict, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Tx } from '../../store/index.js';
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
/** Who a manual page went to, by name, and whether they have any contact method to be reached by. */
export interface PagedPerson {
  id: string;
  name: string;
  email: string;
  reachable: boolean;
}

export async function pagedPeople(db: Tx, userIds: readonly string[], unreachable: readonly string[]): Promise<PagedPerson[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', [...userIds]).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return userIds.map((id) => ({ id, name: byId.get(id)?.name ?? id, email: byId.get(id)?.email ?? '', reachable: !unreachable.includes(id) }));
}

export async function pageNow({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ userIds: string[]; users: PagedPerson[]; deliveries: number }> {
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
    const people = await pagedPeople(tx, userIds, result.unreachable);
    const unreachable = people.filter((p) => !p.reachable).map((p) => p.name);
    await appendTimeline(ctx, tx, incident.id, 'paged', `Paged by hand: ${why}${unreachable.length ? ` (no contact method: ${unreachable.join(', ')})` : ''}${data.note ? `\n\n${data.note}` : ''}`, { manual: true, userIds, key });
    return { userIds, users: people, deliveries: result.created };
  });
}
