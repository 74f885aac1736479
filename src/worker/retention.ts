import type { Clock } from '../core/clock.js';
import { randomToken } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { pruneReceivedBefore } from '../domain/alerts/alert-queries.js';
import { releaseJobLease, takeJobLease } from '../domain/jobs/job-lease.js';
import type { Store } from '../store/index.js';

export const RETENTION_JOB = 'retention';
const DAY_MS = 86_400_000;

export interface RetentionOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Raw payloads (every request as received) are deleted this many days after receipt. */
  rawPayloadDays: number;
  /** PagerDuty change events, likewise (PagerDuty keeps them 90 days). */
  changeEventDays: number;
  /** Rows per delete statement. */
  batchSize?: number;
  /** Pause between two delete statements, so ingestion commits in between. */
  pauseMs?: number;
  holder?: string;
  everyMs?: number;
}

export interface RetentionRun {
  rawPayloads: number;
  changeEvents: number;
  /** Delete statements run; each removed at most `batchSize` rows. */
  statements: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/**
 * One pass, if this instance holds the retention lease: delete raw payloads and change events
 * older than their retention, `batchSize` rows per statement, renewing the lease between
 * statements (a long backlog after an upgrade may take many). Stops when nothing old is left or
 * the lease is lost to another instance.
 */
export async function pruneOnce(options: RetentionOptions & { holder: string; leaseMs: number }): Promise<RetentionRun> {
  const { store, clock } = options;
  const batchSize = options.batchSize ?? 1000;
  const run: RetentionRun = { rawPayloads: 0, changeEvents: 0, statements: 0 };
  const targets = [
    { table: 'raw_payloads' as const, days: options.rawPayloadDays, key: 'rawPayloads' as const },
    { table: 'change_events' as const, days: options.changeEventDays, key: 'changeEvents' as const },
  ];
  for (const target of targets) {
    for (;;) {
      const now = clock.now();
      if (!(await takeJobLease(store.db, { name: RETENTION_JOB, holder: options.holder, now, ttlMs: options.leaseMs }))) return run;
      const deleted = await pruneReceivedBefore(store.db, target.table, now - target.days * DAY_MS, batchSize);
      run.statements += 1;
      run[target.key] += deleted;
      if (deleted < batchSize) break;
      await sleep(options.pauseMs ?? 50);
    }
  }
  return run;
}

/** Prunes every `everyMs` (default 10 min) in this process; returns a stop function. */
export function startRetention(options: RetentionOptions): () => Promise<void> {
  const holder = options.holder ?? `retention:${randomToken(6)}`;
  const everyMs = options.everyMs ?? 600_000;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = (): void => {
    if (running || stopped) return;
    running = pruneOnce({ ...options, holder, leaseMs: 120_000 })
      .then((r) => { if (r.rawPayloads + r.changeEvents > 0) options.log.info('worker', 'pruned old records', { ...r }); })
      .catch((error: unknown) => options.log.warn('worker', 'pruning failed; retrying next tick', { error: (error as Error).message }))
      .finally(() => { running = null; });
  };
  const first = setTimeout(tick, 30_000);
  first.unref();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
    await releaseJobLease(options.store.db, { name: RETENTION_JOB, holder }).catch(() => {});
  };
}
