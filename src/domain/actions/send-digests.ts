import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { TimerTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import { digestSlots, setDigestTimer, weekKey, type DigestSchedule } from './digest-schedule.js';
import { remindUser } from '../paging/remind-user.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The digest's lines for one team's open items (pure): overdue first, then the rest by due date. */
export function digestLines(items: { title: string; ownerName: string; dueAt: number; priority: string; incidentNumber: number; externalUrl: string | null }[], now: number): { lines: string[]; overdue: number } {
  const sorted = [...items].sort((a, b) => a.dueAt - b.dueAt);
  const overdue = sorted.filter((i) => i.dueAt <= now);
  const open = sorted.filter((i) => i.dueAt > now);
  const line = (i: (typeof items)[number]) => `${i.title} — ${i.ownerName}, due ${day(i.dueAt)}, ${i.priority}, incident #${i.incidentNumber}${i.externalUrl ? `, ${i.externalUrl}` : ''}`;
  return {
    overdue: overdue.length,
    lines: [
      ...(overdue.length ? [`Overdue (${overdue.length}):`, ...overdue.map((i) => `OVERDUE: ${line(i)}`)] : []),
      ...(open.length ? [`Open (${open.length}):`, ...open.map(line)] : []),
    ],
  };
}

/**
 * The digest timer fired: for the latest slot (a restart after a missed Monday still sends that
 * week), each team with open items gets one digest, e-mailed to its members. The
 * `action_digests` row (unique per team and week) is written in the same transaction as the
 * deliveries: a second run for the same week finds it and sends nothing. Then the timer is set
 * for the next slot.
 */
export async function sendActionDigests(ctx: Ctx, tx: Tx, timers: readonly TimerTable[], held: () => Promise<ReadonlySet<string>>): Promise<{ stale: TimerTable[] }> {
  const mine = await held();
  const stale: TimerTable[] = [];
  const now = ctx.clock.now();
  for (const timer of timers) {
    if (!mine.has(timer.id)) {
      stale.push(timer);
      continue;
    }
    const schedule = JSON.parse(timer.payload) as DigestSchedule;
    const { last, next } = digestSlots(now, schedule);
    if (Number.isFinite(last)) await sendWeek(ctx, tx, weekKey(last, schedule), now);
    await setDigestTimer(ctx, tx, schedule, next);
  }
  return { stale };
}

async function sendWeek(ctx: Ctx, tx: Tx, week: string, now: number): Promise<void> {
  const items = await tx
    .selectFrom('action_items')
    .innerJoin('users', 'users.id', 'action_items.owner_id')
    .innerJoin('incidents', 'incidents.id', 'action_items.incident_id')
    .leftJoin('services', 'services.id', 'action_items.service_id')
    .select(['action_items.title', 'action_items.owner_id', 'action_items.due_at', 'action_items.priority', 'action_items.external_url', 'users.name as owner_name', 'incidents.number', 'services.team_id as service_team_id'])
    .where('action_items.status', '=', 'open')
    .execute();
  if (items.length === 0) return;
  const members = await tx.selectFrom('team_members').innerJoin('users', 'users.id', 'team_members.user_id').select(['team_members.team_id', 'team_members.user_id']).where('users.disabled', '=', 0).execute();
  const teams = await tx.selectFrom('teams').select(['id', 'name']).orderBy('slug').execute();
  for (const team of teams) {
    const memberIds = new Set(members.filter((m) => m.team_id === team.id).map((m) => m.user_id));
    const mineItems = items.filter((i) => memberIds.has(i.owner_id) || i.service_team_id === team.id);
    if (mineItems.length === 0 || memberIds.size === 0) continue;
    const { lines, overdue } = digestLines(mineItems.map((i) => ({ title: i.title, ownerName: i.owner_name, dueAt: Number(i.due_at), priority: i.priority, incidentNumber: Number(i.number), externalUrl: i.external_url })), now);
    const id = newId('dig', now);
    const subject = `${team.name}: ${mineItems.length} open action item${mineItems.length === 1 ? '' : 's'}${overdue ? `, ${overdue} overdue` : ''} (week of ${week})`;
    const inserted = await tx
      .insertInto('action_digests')
      .values({ id, team_id: team.id, week, open_count: mineItems.length, overdue_count: overdue, subject, body: JSON.stringify(lines), created_at: now })
      .onConflict((oc) => oc.columns(['team_id', 'week']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) continue;
    for (const userId of memberIds) await remindUser(tx, { userId, incidentId: null, actionKey: `action_digest:${id}`, purpose: 'action_digest', now, emailOnly: true });
  }
}
