import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { isValidTimeZone, parseClockTime, parseLocalDate, WEEKDAYS } from './zoned-time.js';
import type { Weekday } from './zoned-time.js';

/**
 * An on-call schedule: layers of rotations in one time zone, plus overrides.
 *
 * Precedence, highest first:
 *   1. overrides — the LAST matching override in the list wins;
 *   2. layers — the LAST layer in the list that is active at an instant wins. A layer is active
 *      from its first hand-off onwards, inside its restriction windows if it has any. When the
 *      top layer is restricted out, the next layer down shows through.
 * So a "business hours" layer is listed after the 24×7 base layer it sits on top of.
 */

export type { Weekday } from './zoned-time.js';

export type RotationType = 'daily' | 'weekly' | 'custom';

export interface Rotation {
  type: RotationType;
  /** Only for `custom`: length of one turn. Multiples of 86 400 behave as whole local days. */
  shiftLengthSeconds?: number | undefined;
  /** Local `HH:MM` in the schedule's zone at which one member hands over to the next. */
  handoffTime: string;
  /** Local `YYYY-MM-DD`: the first turn (members[0]) starts at `handoffTime` on this date. */
  startDate: string;
  /** User ids in rotation order; a user may appear more than once. */
  members: string[];
}

export interface Restriction {
  /**
   * `daily`: every day (or only the listed `days`) from `from` to `to`; `to` ≤ `from` runs past
   * midnight into the next day, `from` = `to` is the whole day.
   * `weekly`: one stretch per week from `from` on `days[0]` to `to` on `days[1]` (or the same
   * day when only one day is given), e.g. Fri 17:00 → Mon 09:00.
   */
  type: 'daily' | 'weekly';
  from: string;
  to: string;
  days?: Weekday[] | undefined;
}

export interface Layer {
  id: string;
  name: string;
  rotation: Rotation;
  /** Windows (in the schedule's zone) in which the layer is active; none means always. */
  restrictions?: Restriction[] | undefined;
}

export interface Override {
  id: string;
  /** Who is on call instead. */
  userId: string;
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  /** Only replace this user, while the layers put them on call; absent = replace whoever is. */
  replacesUserId?: string | undefined;
}

export interface Schedule {
  id?: string | undefined;
  name?: string | undefined;
  teamId?: string | undefined;
  /** IANA zone in which hand-offs and restrictions are read, e.g. `Europe/Berlin`. */
  timeZone: string;
  layers: Layer[];
  overrides: Override[];
}

const id = z.string().min(1).max(200);
const clockTime = z
  .string()
  .refine((v) => parseClockTime(v) !== null, { message: 'must be a local time HH:MM (00:00–23:59)' });
const localDate = z.string().refine(
  (v) => {
    const wall = parseLocalDate(v);
    return wall !== null && v >= '1970-01-01' && v <= '9999-12-31';
  },
  { message: 'must be a calendar date YYYY-MM-DD (1970 or later)' },
);
const weekday = z.enum(WEEKDAYS as [Weekday, ...Weekday[]]);
// A quarter of an hour is the shortest turn anyone hands over in; one-minute turns made a
// schedule's two-week coverage 100,000 shifts (seconds of CPU per listing).
export const MIN_SHIFT_SECONDS = 15 * 60;
/**
 * Rotation turns per day over all layers (96 = one layer of 15-minute turns, or four of hourly
 * ones). Work per request grows with it: views and feeds size their windows by it.
 */
export const MAX_TURNS_PER_DAY = 500;
const MAX_SHIFT_SECONDS = 366 * 86_400;

export const rotationSchema = z
  .object({
    type: z.enum(['daily', 'weekly', 'custom']),
    shiftLengthSeconds: z.number().int().min(MIN_SHIFT_SECONDS).max(MAX_SHIFT_SECONDS).optional(),
    handoffTime: clockTime,
    startDate: localDate,
    members: z.array(id).min(1, { message: 'needs at least one member' }).max(1000),
  })
  .superRefine((rotation, ctx) => {
    if (rotation.type === 'custom' && rotation.shiftLengthSeconds === undefined) {
      ctx.addIssue({ code: 'custom', path: ['shiftLengthSeconds'], message: 'is required for a custom rotation' });
    }
    if (rotation.type !== 'custom' && rotation.shiftLengthSeconds !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['shiftLengthSeconds'],
        message: `only applies to custom rotations (a ${rotation.type} rotation has a fixed length)`,
      });
    }
  });

export const restrictionSchema = z
  .object({
    type: z.enum(['daily', 'weekly']),
    from: clockTime,
    to: clockTime,
    days: z.array(weekday).min(1).max(7).optional(),
  })
  .superRefine((restriction, ctx) => {
    if (restriction.type !== 'weekly') return;
    const count = restriction.days?.length ?? 0;
    if (count < 1 || count > 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['days'],
        message: 'a weekly restriction needs [startDay] or [startDay, endDay]',
      });
    }
  });

export const layerSchema = z.object({
  id,
  name: z.string().min(1).max(200),
  rotation: rotationSchema,
  restrictions: z.array(restrictionSchema).max(50).optional(),
});

export const overrideSchema = z
  .object({
    id,
    userId: id,
    start: z.number().int(),
    end: z.number().int(),
    replacesUserId: id.optional(),
  })
  .refine((o) => o.end > o.start, { path: ['end'], message: 'must be after start' });

export const scheduleSchema = z
  .object({
    id: id.optional(),
    name: z.string().min(1).max(200).optional(),
    teamId: id.optional(),
    timeZone: z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' }),
    layers: z.array(layerSchema).max(20),
    overrides: z.array(overrideSchema).max(10_000).default([]),
  })
  .superRefine((schedule, ctx) => {
    const perDay = turnsPerDay(schedule);
    if (perDay > MAX_TURNS_PER_DAY) {
      ctx.addIssue({ code: 'custom', path: ['layers'], message: `the layers hand over ${Math.round(perDay)} times a day; at most ${MAX_TURNS_PER_DAY} (use longer shifts or fewer layers)` });
    }
    const seen = new Set<string>();
    schedule.layers.forEach((layer, i) => {
      if (seen.has(layer.id)) ctx.addIssue({ code: 'custom', path: ['layers', i, 'id'], message: `duplicate layer id ${layer.id}` });
      seen.add(layer.id);
    });
    const seenOverrides = new Set<string>();
    schedule.overrides.forEach((override, i) => {
      if (seenOverrides.has(override.id)) {
        ctx.addIssue({ code: 'custom', path: ['overrides', i, 'id'], message: `duplicate override id ${override.id}` });
      }
      seenOverrides.add(override.id);
    });
  });

const DAY_SECONDS = 86_400;

/** Rotation hand-overs per day, summed over the layers (what computing a window costs per day). */
export function turnsPerDay(schedule: { layers: readonly { rotation: { type: RotationType; shiftLengthSeconds?: number | undefined } }[] }): number {
  let turns = 0;
  for (const { rotation } of schedule.layers) {
    const seconds = rotation.type === 'daily' ? DAY_SECONDS : rotation.type === 'weekly' ? 7 * DAY_SECONDS : (rotation.shiftLengthSeconds ?? DAY_SECONDS);
    turns += DAY_SECONDS / Math.max(1, seconds);
  }
  return turns;
}

/**
 * The part of [from, to) around `around` that holds about `maxTurns` rotation turns, shrunk
 * from both ends in proportion. Schedules saved before the limits above (or near them) would
 * otherwise make a view or a feed compute hundreds of thousands of shifts.
 */
export function boundedWindow(schedule: Schedule, from: number, to: number, around: number, maxTurns: number): { from: number; to: number; shortened: boolean } {
  const turns = (turnsPerDay(schedule) * (to - from)) / (DAY_SECONDS * 1000);
  if (turns <= maxTurns) return { from, to, shortened: false };
  const scale = maxTurns / turns;
  return { from: Math.round(around - (around - from) * scale), to: Math.round(around + (to - around) * scale), shortened: true };
}

/** Validates a schedule; a failure is an AppError VALIDATION naming each bad field. */
export function parseSchedule(input: unknown): Schedule {
  return parseInput(scheduleSchema, input);
}

/** Validates a single override (for the "add override" verb). */
export function parseOverride(input: unknown): Override {
  return parseInput(overrideSchema, input);
}
