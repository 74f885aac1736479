import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Ctx } from '../domain/context.js';
import { followUpRecords } from '../domain/actions/follow-up-records.js';
import { warmReportCache } from '../domain/metrics/warm-report-cache.js';
import { sendDueReports } from '../domain/report-schedules/index.js';
import { sendReportEmail, type SmtpDeps } from '../notify/email/send.js';
import type { Store } from '../store/index.js';

/** Between the weeks the start readies (warm-report-cache.ts). */
const WARM_PAUSE_MS = 100;
/** Ends the readying between two weeks when the scheduler stops. */
const STOPPED = new Error('the report scheduler stopped');

export interface ReportSchedulerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  smtp: SmtpDeps;
  publicUrl: string;
  /** How often to look for ended periods and due sends (default 1 min). */
  everyMs?: number;
  /** When the first pass runs after start (default 10 s); it also readies the report's facts (warm-report-cache.ts). */
  firstTickMs?: number;
  /** True while this instance is paging (Worker.pagingRecently): the readying waits meanwhile. */
  pagingRecently?: () => boolean;
}

/**
 * Scheduled reports in this process: every minute, one pass of sendDueReports (which records
 * ended periods and sends what is due). Its own timer, not the paging worker's claim loop, so a
 * slow report never holds up a page. The first pass, 10 s after start, then readies the last
 * year's report facts (warm-report-cache.ts). Returns a stop function that waits for a pass in flight.
 */
export function startReportScheduler(options: ReportSchedulerOptions): () => Promise<void> {
  const ctx: Ctx = { actor: { type: 'system', name: 'report scheduler' }, clock: options.clock, log: options.log, requestId: 'report-scheduler', store: options.store };
  let running: Promise<void> | null = null;
  let stopped = false;
  let warmed = false;
  const followUps = followUpRecords(options.store.db);
  const warm = async (): Promise<void> => {
    if (warmed || stopped) return;
    warmed = true;
    // A tenth of a second between weeks: spread over seconds, it takes no noticeable turn from
    // pages (with no pause, first pages during it were twice as slow at p99 on PostgreSQL). While
    // pages go out it waits for them to stop: on the fan-out benchmark, whose page storm began as
    // the readying did, the slowest first pages were those of its first second. A stop ends it
    // at the next pause, so a shutdown does not wait for the whole year.
    const wait = () => new Promise<void>((resolve, reject) => setTimeout(() => (stopped ? reject(STOPPED) : resolve()), WARM_PAUSE_MS));
    const pause = async () => {
      await wait();
      while (options.pagingRecently?.()) await wait();
    };
    try {
      const started = Date.now();
      const { days, incidents } = await warmReportCache(ctx, pause);
      options.log.info('worker', 'report warmed', { ms: Date.now() - started, days, incidents });
    } catch (error) {
      // Nothing is lost: the first report someone asks for does the same work.
      if (error !== STOPPED) options.log.warn('worker', 'warming the report failed', { error: (error as Error).message });
    }
  };
  const tick = (): void => {
    if (running || stopped) return;
    running = sendDueReports(ctx, { send: (mail) => sendReportEmail(mail, options.smtp), publicUrl: options.publicUrl, followUps })
      .then((r) => { if (r.sent + r.failed > 0) options.log.info('notify', 'scheduled reports', { ...r }); })
      .catch((error: unknown) => options.log.warn('notify', 'scheduled reports failed; retrying next tick', { error: (error as Error).message }))
      .then(warm)
      .finally(() => { running = null; });
  };
  const first = setTimeout(tick, options.firstTickMs ?? 10_000);
  first.unref();
  const timer = setInterval(tick, options.everyMs ?? 60_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
