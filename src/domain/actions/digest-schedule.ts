import { z } from 'zod';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { DAY_MS, epochToWallClock, HOUR_MS, isValidTimeZone, wallClockToEpoch, WEEKDAYS, type Weekday } from '../oncall/zoned-time.js';
import { upsertTimer } from '../paging/timers.js';

/**
 * When the weekly action-item digest goes out (firebreak.yaml `actionItems.digest`): a weekday,
 * an hour and a time zone. Teams carry no time zone of their own, so one zone serves all.
 */
export const DigestSchedule = z.object({
  enabled: z.boolean().default(true),
  day: z.enum(WEEKDAYS as [Weekday, ...Weekday[]]).default('mon'),
  hour: z.number().int().min(0).max(23).default(9),
  timeZone: z.string().default('UTC').refine(isValidTimeZone, { error: 'is not a known IANA time zone (e.g. Europe/Berlin, UTC)' }),
});
export type DigestSchedule = z.output<typeof DigestSchedule>;
export const DEFAULT_DIGEST: DigestSchedule = { enabled: true, day: 'mon', hour: 9, timeZone: 'UTC' };

export const DIGEST_TIMER_KEY = 'action_digest';

const weekdayOf = (wall: number): Weekday => WEEKDAYS[(new Date(wall).getUTCDay() + 6) % 7]!;

/** The slots around `now`: the latest at or before it, and the first after it. */
export function digestSlots(now: number, s: DigestSchedule): { last: number; next: number } {
  const today = Math.floor(epochToWallClock(now, s.timeZone) / DAY_MS) * DAY_MS;
  let last = Number.NEGATIVE_INFINITY;
  let next = Number.POSITIVE_INFINITY;
  for (let k = -8; k <= 8; k++) {
    const day = today + k * DAY_MS;
    if (weekdayOf(day) !== s.day) continue;
    const at = wallClockToEpoch(day + s.hour * HOUR_MS, s.timeZone);
    if (at <= now) last = Math.max(last, at);
    else next = Math.min(next, at);
  }
  return { last, next };
}

/** The week a slot belongs to: its local date (`2026-03-02`), unique per team in `action_digests`. */
export const weekKey = (slot: number, s: DigestSchedule): string => new Date(epochToWallClock(slot, s.timeZone)).toISOString().slice(0, 10);

/**
 * Boot: makes sure the digest timer exists for this schedule. A timer already set for the same
 * schedule is left alone, so a restart after a missed slot still sends that week (once); a
 * changed schedule moves it to the next slot; a disabled one removes it.
 */
export async function ensureDigestTimer(ctx: Ctx, schedule: DigestSchedule = DEFAULT_DIGEST): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const existing = await tx.selectFrom('timers').select(['payload']).where('key', '=', DIGEST_TIMER_KEY).executeTakeFirst();
    if (!schedule.enabled) {
      if (existing) await tx.deleteFrom('timers').where('key', '=', DIGEST_TIMER_KEY).execute();
      return;
    }
    if (existing && existing.payload === JSON.stringify(schedule)) return;
    await setDigestTimer(ctx, tx, schedule, digestSlots(ctx.clock.now(), schedule).next);
  });
}

export async function setDigestTimer(ctx: Ctx, tx: Tx, schedule: DigestSchedule, runAt: number): Promise<void> {
  await upsertTimer(tx, { key: DIGEST_TIMER_KEY, kind: 'action_digest', payload: { ...schedule }, runAt, generation: 1, now: ctx.clock.now() });
}
