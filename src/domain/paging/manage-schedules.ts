import { z } from 'zod';
import { actorId } from '../../core/actor.js';
import { conflict, notFound, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { epochMs } from '../../core/input-schemas.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { boundedWindow, findCoverageProblems, layerSchema, parseSchedule, shiftsBetween, turnsPerDay, whoIsOnCall, type Schedule } from '../oncall/index.js';
import { findTeam, findUser } from '../lookups.js';
import type { Db, Tx } from '../../store/index.js';
import { policiesBySchedule, policiesUsingSchedule } from './schedule-usage.js';
import { loadSchedule, loadSchedules } from './schedules-repo.js';

/** Schedules: CRUD, overrides, "who is on call at T and why", coverage warnings. */

const ScheduleInput = z.object({
  name: z.string().trim().min(1).max(200),
  /** Team id or slug; `null` on update takes the schedule away from its team. */
  team: z.string().nullable().optional(),
  timeZone: z.string(),
  layers: z.array(layerSchema).max(20).default([]),
});

const OverrideInput = z.object({
  schedule: z.string(),
  user: z.string(),
  replacesUser: z.string().optional(),
  start: z.union([epochMs, z.iso.datetime({ offset: true })]),
  end: z.union([epochMs, z.iso.datetime({ offset: true })]),
});

const ms = (v: number | string) => (typeof v === 'number' ? v : Date.parse(v));
const WEEK = 7 * 86_400_000;
/**
 * Rotation turns computed for one schedule's coverage warnings, and for a whole listing. Two
 * weeks of ordinary rotations are a few dozen turns; a schedule of very short shifts (or one
 * saved before MAX_TURNS_PER_DAY) gets a shorter window and a warning saying so, instead of
 * seconds of CPU on the event loop (60 s shifts × 5 layers took 3 s per listing).
 */
const COVERAGE_TURNS = 1_000;
const LISTING_COVERAGE_TURNS = 4_000;

export interface ScheduleView {
  id: string;
  name: string;
  teamId: string | null;
  timeZone: string;
  layers: Schedule['layers'];
  overrides: { id: string; userId: string; replacesUserId: string | null; start: string; end: string }[];
  warnings: string[];
  /** Escalation policies that page this schedule (deleting it is refused while any do). */
  usedBy: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

async function userIdsExist(db: Db | Tx, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const found = new Set((await db.selectFrom('users').select('id').where('id', 'in', unique).execute()).map((r) => r.id));
  const missing = unique.find((id) => !found.has(id));
  if (missing) throw validation('layers', `member ${missing} is not a user`);
}

export async function scheduleView(db: Db | Tx, id: string, now: number, maxTurns = COVERAGE_TURNS, usage?: Map<string, string[]>): Promise<ScheduleView> {
  const row = await db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('schedule', id);
  const schedule = await loadSchedule(db, id);
  const window = boundedWindow(schedule, now, now + 2 * WEEK, now, maxTurns);
  const problems = findCoverageProblems(schedule, window.from, window.to);
  const warnings = [
    ...problems.gaps.map((g) => `nobody is on call from ${new Date(g.start).toISOString()} to ${new Date(g.end).toISOString()}`),
    ...problems.overlaps.map((o) => o.message),
  ];
  if (window.shortened) {
    warnings.push(`coverage checked only until ${new Date(window.to).toISOString()}: the layers hand over ${Math.round(turnsPerDay(schedule))} times a day`);
  }
  return {
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    timeZone: row.time_zone,
    layers: schedule.layers,
    overrides: schedule.overrides.map((o) => ({ id: o.id, userId: o.userId, replacesUserId: o.replacesUserId ?? null, start: new Date(o.start).toISOString(), end: new Date(o.end).toISOString() })),
    warnings,
    usedBy: (usage ? (usage.get(row.id) ?? []) : await policiesUsingSchedule(db, row.id)).map((name) => `escalation policy ${name}`),
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function createSchedule({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ScheduleView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(ScheduleInput, input);
  const parsed = parseSchedule({ timeZone: data.timeZone, layers: data.layers, overrides: [] });
  return ctx.store.transaction(async (tx) => {
    await userIdsExist(tx, parsed.layers.flatMap((l) => l.rotation.members));
    const team = data.team ? await findTeam(tx, data.team).catch(() => { throw validation('team', `team ${data.team} was not found`); }) : null;
    const now = ctx.clock.now();
    const id = newId('sch', now);
    await tx.insertInto('schedules').values({ id, team_id: team?.id ?? null, name: data.name, time_zone: parsed.timeZone, layers: JSON.stringify(parsed.layers), created_at: now, updated_at: now, version: 1 }).execute();
    await recordAudit(ctx, tx, { action: 'schedule.created', target: id, data: { name: data.name } });
    return scheduleView(tx, id, now);
  });
}

export async function updateSchedule({ ctx, input }: { ctx: Ctx; input: { schedule: string } & Record<string, unknown> }): Promise<ScheduleView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(ScheduleInput.partial(), input);
  return ctx.store.transaction(async (tx) => {
    const current = await loadSchedule(tx, input.schedule);
    const row = await tx.selectFrom('schedules').selectAll().where('id', '=', current.id).executeTakeFirstOrThrow();
    const parsed = parseSchedule({ timeZone: data.timeZone ?? current.timeZone, layers: data.layers ?? current.layers, overrides: [] });
    await userIdsExist(tx, parsed.layers.flatMap((l) => l.rotation.members));
    const team = data.team ? await findTeam(tx, data.team).catch(() => { throw validation('team', `team ${data.team} was not found`); }) : data.team === null ? null : undefined;
    const now = ctx.clock.now();
    const updated = await tx
      .updateTable('schedules')
      .set({ name: data.name ?? row.name, time_zone: parsed.timeZone, layers: JSON.stringify(parsed.layers), team_id: team === undefined ? row.team_id : (team?.id ?? null), updated_at: now, version: row.version + 1 })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('the schedule changed while you were editing it; reload and try again');
    await recordAudit(ctx, tx, { action: 'schedule.updated', target: row.id, data: { name: data.name ?? row.name } });
    return scheduleView(tx, row.id, now);
  });
}

export async function deleteSchedule({ ctx, input }: { ctx: Ctx; input: { schedule: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const s = await loadSchedule(tx, input.schedule);
    // A policy that pages it would page nobody at that level: say which ones to change first.
    // (Running incidents keep their policy snapshot; a schedule deleted under one resolves to
    // nobody, which the timeline reports as a skipped level.)
    const policies = await policiesUsingSchedule(tx, s.id);
    if (policies.length) {
      throw conflict(`schedule ${s.name} is paged by escalation ${policies.length === 1 ? 'policy' : 'policies'} ${policies.map((p) => `"${p}"`).join(', ')}; remove it from ${policies.length === 1 ? 'that policy' : 'those policies'} first`);
    }
    await tx.deleteFrom('schedules').where('id', '=', s.id).execute();
    await recordAudit(ctx, tx, { action: 'schedule.deleted', target: s.id, data: { name: s.name } });
  });
}

export async function listSchedules({ ctx }: { ctx: Ctx; input?: unknown }): Promise<{ items: ScheduleView[] }> {
  authorize(ctx.actor, 'read');
  const rows = await ctx.store.db.selectFrom('schedules').select('id').orderBy('name').execute();
  const now = ctx.clock.now();
  const maxTurns = Math.min(COVERAGE_TURNS, Math.floor(LISTING_COVERAGE_TURNS / Math.max(1, rows.length)));
  const usage = await policiesBySchedule(ctx.store.db);
  return { items: await Promise.all(rows.map((r) => scheduleView(ctx.store.db, r.id, now, maxTurns, usage))) };
}

export async function getSchedule({ ctx, input }: { ctx: Ctx; input: { schedule: string } }): Promise<ScheduleView> {
  authorize(ctx.actor, 'read');
  const s = await loadSchedule(ctx.store.db, input.schedule);
  return scheduleView(ctx.store.db, s.id, ctx.clock.now());
}

export async function addScheduleOverride({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ScheduleView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(OverrideInput, input);
  const start = ms(data.start);
  const end = ms(data.end);
  if (!(end > start)) throw validation('end', 'must be after start');
  return ctx.store.transaction(async (tx) => {
    const s = await loadSchedule(tx, data.schedule);
    const user = await findUser(tx, data.user).catch(() => { throw validation('user', `user ${data.user} was not found`); });
    const replaces = data.replacesUser ? await findUser(tx, data.replacesUser).catch(() => { throw validation('replacesUser', `user ${data.replacesUser} was not found`); }) : null;
    const now = ctx.clock.now();
    const id = newId('ovr', now);
    await tx.insertInto('schedule_overrides').values({ id, schedule_id: s.id, user_id: user.id, replaces_user_id: replaces?.id ?? null, start_at: start, end_at: end, created_by: actorId(ctx.actor), created_at: now }).execute();
    await recordAudit(ctx, tx, { action: 'schedule.override_added', target: s.id, data: { override: id, user: user.id, start, end } });
    return scheduleView(tx, s.id, now);
  });
}

export async function deleteScheduleOverride({ ctx, input }: { ctx: Ctx; input: { schedule: string; override: string } }): Promise<void> {
  authorize(ctx.actor, 'respond');
  await ctx.store.transaction(async (tx) => {
    const s = await loadSchedule(tx, input.schedule);
    const result = await tx.deleteFrom('schedule_overrides').where('id', '=', input.override).where('schedule_id', '=', s.id).executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) throw notFound('override', input.override);
    await recordAudit(ctx, tx, { action: 'schedule.override_removed', target: s.id, data: { override: input.override } });
  });
}

export interface OnCallAnswer {
  at: string;
  schedules: { id: string; name: string; users: { id: string; name: string }[]; reason: string; explanation: ReturnType<typeof whoIsOnCall>['explanation'] }[];
}

/** Who is on call at `at` (default now) on one schedule or all, and which layer/override decided. */
export async function getOnCall({ ctx, input }: { ctx: Ctx; input: { schedule?: string | undefined; at?: number | undefined } }): Promise<OnCallAnswer> {
  authorize(ctx.actor, 'read');
  const at = input.at ?? ctx.clock.now();
  if (!Number.isFinite(at)) throw validation('at', 'must be an ISO 8601 time or epoch ms');
  const db = ctx.store.db;
  const ids = input.schedule ? [(await loadSchedule(db, input.schedule)).id] : (await db.selectFrom('schedules').select('id').orderBy('name').execute()).map((r) => r.id);
  const schedules = await loadSchedules(db, ids);
  const users = new Map((await db.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
  return {
    at: new Date(at).toISOString(),
    schedules: ids.map((id) => {
      const s = schedules.get(id)!;
      const r = whoIsOnCall(s, at);
      return { id, name: s.name, users: r.userIds.map((u) => ({ id: u, name: users.get(u) ?? u })), reason: r.reason, explanation: r.explanation };
    }),
  };
}

export { shiftsBetween };
