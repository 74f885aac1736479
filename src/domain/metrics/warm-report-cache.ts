import type { Ctx } from '../context.js';
import { reportFactsFor } from './report-day-cache.js';

/** How far back a start warms the report: the longest range the Metrics page offers. */
export const WARMED_RANGE_MS = 365 * 86_400_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * Readies the last year's report facts in this process before anyone asks: builds the day cache
 * of every settled day not yet in it (seconds on a long history, and after an upgrade that
 * changed the cache's format) and reads the days into this process's decoded days. A week at a
 * time, with `pause` between weeks, so alerts and pages arriving meanwhile wait for a week's
 * worth of work at most. It does not fold a report: that holds the event loop for hundreds of
 * milliseconds on a long history (a whole report run at start delayed a first page by 650 ms
 * on the million-incident history, BENCHMARKS.md, 2026-12-07). Returns the facts' counts.
 */
export async function warmReportCache(ctx: Ctx, pause: () => Promise<void>): Promise<{ days: number; incidents: number }> {
  const to = ctx.clock.now();
  let days = 0;
  let incidents = 0;
  for (let start = Math.floor((to - WARMED_RANGE_MS) / DAY_MS) * DAY_MS; start < to; start += WEEK_MS) {
    const end = Math.min(start + WEEK_MS, to);
    const parts = await reportFactsFor(ctx.store, start, end, { cache: true });
    for (const part of parts) incidents += part.incidents.number.length;
    days += Math.ceil((end - start) / DAY_MS);
    await pause();
  }
  return { days, incidents };
}
