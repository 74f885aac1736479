import { bucketStart, type Bucket } from '../metrics/build-report.js';

/** The start of the period after the one starting at `start` (UTC weeks from Monday, months from the 1st). */
export function nextPeriodStart(start: number, every: Bucket): number {
  if (every === 'week') return start + 7 * 86_400_000;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** How many ended periods one run catches up at most: a server off for a year sends the last few, not 52. */
export const MAX_CATCH_UP = 4;

/**
 * The periods a schedule owes at `now`: every period that ended after the schedule was created
 * (the first one is the period the schedule was created in), oldest first, at most MAX_CATCH_UP
 * of the most recent. Which of these were sent is the outbox's business (one row per period).
 */
export function periodsDue(createdAt: number, now: number, every: Bucket): { start: number; end: number }[] {
  const periods: { start: number; end: number }[] = [];
  for (let start = bucketStart(createdAt, every); ; start = nextPeriodStart(start, every)) {
    const end = nextPeriodStart(start, every);
    if (end > now) break;
    periods.push({ start, end });
  }
  return periods.slice(-MAX_CATCH_UP);
}
