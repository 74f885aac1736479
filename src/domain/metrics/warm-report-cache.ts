import type { Ctx } from '../context.js';
import type { FollowUpRecordsSource } from './follow-up-completion.js';
import { getIncidentReport } from './get-incident-report.js';

/** How far back a start warms the report: the longest range the Metrics page offers. */
export const WARMED_RANGE_MS = 365 * 86_400_000;

/**
 * Makes the last year's report once, for no one, so that the first person to open it after a
 * start does not wait for what a first report does: build the day cache of every settled day not
 * yet in it (seconds on a long history, and after an upgrade that changed the cache's format),
 * read and decode the year into this process's decoded days, and compile the fold. Measured on
 * a million-incident history: a first year report 740–910 ms, against 300–400 ms once warm
 * (BENCHMARKS.md, 2026-12-07). Returns how long it took (clock ms).
 */
export async function warmReportCache(ctx: Ctx, followUps?: FollowUpRecordsSource): Promise<{ ms: number; incidents: number }> {
  const to = ctx.clock.now();
  const report = await getIncidentReport({ ctx, input: { from: to - WARMED_RANGE_MS, to, bucket: 'month' }, ...(followUps ? { followUps } : {}) });
  return { ms: ctx.clock.now() - to, incidents: report.overall.count + report.drills.count };
}
