import type { DialectName } from '../store/dialect.js';
import { FANOUT_BATCH_WHILE_PAGING } from '../domain/subscribers/expand-notifications.js';

/** The worker's knobs (worker.ts); every one has a default below. */
export interface WorkerOptions {
  /** Timers claimed per statement. */
  batchSize: number;
  timerLeaseMs: number;
  /** Per-attempt deadline of one send. */
  sendTimeoutMs: number;
  /** A `sending` claim expires after this; must exceed sendTimeoutMs. */
  deliveryLeaseMs: number;
  /** Sends in flight at once; a hung receiver holds one slot, not the queue. */
  sendConcurrency: number;
  /**
   * Of those, at most this many for the bulk lane (status page subscribers, priority ≥ 2): the
   * rest stay free for pages, so a fan-out to thousands never makes a page wait for a slot.
   */
  bulkConcurrency: number;
  /**
   * Pages first, in time as well as in slots: for this long after a page or reminder was handed
   * to its channel, the bulk lane keeps at most `bulkWhilePaging` sends in flight, so a fan-out's
   * sends, their receivers and their result writes take no CPU or database time from the pages
   * of an incident storm. The fan-out goes on, slower, and at full speed once paging is quiet.
   */
  pagingYieldMs: number;
  bulkWhilePaging: number;
  /**
   * While paging, the bulk lane claims this many rows at once and sends them one after another
   * (one claim, one last look and one result write for the lot instead of one each).
   */
  bulkBatchWhilePaging: number;
  /**
   * And at most this many per second: a batch every `bulkBatchWhilePaging / bulkRateWhilePaging`
   * seconds. A mail over a pooled SMTP connection takes ~3 ms, so a lane that claimed the next
   * batch as soon as the last was sent would send ~300 a second, and its sends, claims and result
   * writes took that much CPU and database time from the pages it yields to.
   */
  bulkRateWhilePaging: number;
  /**
   * A fan-out starts as if paging: for this long after the first batch of a fan-out is expanded
   * (none in twice the longer of `pagingYieldMs` and the paced expansion interval before), the
   * bulk lane keeps the paging cap. A page that arrives
   * as a fan-out begins would otherwise find the lane at full width, before any page has made it
   * yield.
   */
  fanoutStartMs: number;
  /**
   * While the lane yields (paging, or a fan-out starting), each expansion of a fan-out reads this
   * many subscribers, and expansions come at the pace of the lane's sends
   * (`bulkRateWhilePaging`): a page meets a fifth of an expansion's inserts, and no more rows
   * are written than the lane sends meanwhile.
   */
  fanoutBatchWhilePaging: number;
  /** Timer transactions run side by side (PostgreSQL only; SQLite has one writer). */
  timerConcurrency: number;
  /** Timers handled per transaction (group commit); a failing group is retried one by one. */
  timerGroupSize: number;
  /** Longest sleep when nothing is due. */
  idlePollMs: number;
  /** Sleep when work is due but held by another instance. */
  busyPollMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
  timerRetryBaseMs: number;
  timerRetryCapMs: number;
  /**
   * Graceful stop waits this long for sends in flight; claims not yet sent are released then,
   * sends still in flight keep their claim (lease). Default: sendTimeoutMs + 5 s, so every send
   * can end first.
   */
  stopGraceMs: number;
  /**
   * Finished attempts are written back this long after the first of them, together (group
   * commit). Short: an attempt sent but not written yet is re-sent if this instance dies.
   */
  flushDelayMs: number;
  /**
   * The same for a batch of subscriber (bulk lane) results only: longer, so a fan-out writes its
   * results a few times a second instead of once per send. A subscriber send whose result was
   * not written yet is sent again (same delivery id) only if this instance dies meanwhile.
   */
  bulkFlushDelayMs: number;
  random: () => number;
}

/** The defaults, with the caller's options over them. */
export function workerOptions(dialect: DialectName, options: Partial<WorkerOptions> = {}): WorkerOptions {
  const sendTimeoutMs = options.sendTimeoutMs ?? 15_000;
  return {
    batchSize: 100,
    timerLeaseMs: 30_000,
    sendTimeoutMs,
    deliveryLeaseMs: sendTimeoutMs + 15_000,
    sendConcurrency: 64,
    bulkConcurrency: 16,
    pagingYieldMs: 1_000,
    bulkWhilePaging: 1,
    bulkBatchWhilePaging: 8,
    bulkRateWhilePaging: 8,
    fanoutStartMs: 1_000,
    fanoutBatchWhilePaging: FANOUT_BATCH_WHILE_PAGING,
    // PostgreSQL: several groups in flight hide the round trips; each holds a pooled connection.
    timerConcurrency: dialect === 'postgres' ? 6 : 1,
    timerGroupSize: dialect === 'postgres' ? 25 : 50,
    idlePollMs: 250,
    busyPollMs: 20,
    maxAttempts: 8,
    retryBaseMs: 5_000,
    retryCapMs: 600_000,
    timerRetryBaseMs: 1_000,
    timerRetryCapMs: 60_000,
    stopGraceMs: sendTimeoutMs + 5_000,
    flushDelayMs: 2,
    bulkFlushDelayMs: 100,
    random: Math.random,
    ...options,
  };
}
