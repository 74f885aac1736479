import { z } from 'zod';
import { validation } from '../../core/errors.js';
import { epochMs } from '../../core/input-schemas.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { scheduleTimeline, turnsPerDay, type ScheduleTimeline } from '../oncall/index.js';
import { loadSchedule } from './schedules-repo.js';

/**
 * A schedule's timeline for the web view and `firebreak schedule timeline`: each layer, the
 * overrides and the final result with gaps, from `from` (default now) for `days` days.
 */
const DAY = 86_400_000;
const MAX_DAYS = 62;
/** Rotation turns one request may draw: ~20 bars a day on 8 weeks is plenty for a person to read. */
const MAX_TURNS = 5_000;

const TimelineInput = z.object({
  schedule: z.string(),
  from: epochMs.optional(),
  days: z.number().int().min(1).max(MAX_DAYS).default(14),
});

export interface ScheduleTimelineView extends Omit<ScheduleTimeline, 'from' | 'to'> {
  id: string;
  name: string;
  timeZone: string;
  from: string;
  to: string;
}

export async function getScheduleTimeline({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ScheduleTimelineView> {
  authorize(ctx.actor, 'read');
  const data = parseInput(TimelineInput, input);
  const from = data.from ?? ctx.clock.now();
  const to = from + data.days * DAY;
  const schedule = await loadSchedule(ctx.store.db, data.schedule, from);
  const turns = turnsPerDay(schedule) * data.days;
  if (turns > MAX_TURNS) {
    const fit = Math.max(1, Math.floor(MAX_TURNS / turnsPerDay(schedule)));
    throw validation('days', `this schedule hands over ${Math.round(turnsPerDay(schedule))} times a day; ask for at most ${fit} days`);
  }
  const timeline = scheduleTimeline(schedule, from, to);
  return { id: schedule.id, name: schedule.name, timeZone: schedule.timeZone, ...timeline, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
