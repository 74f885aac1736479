import type { Clock } from '../core/clock.js';
import { randomToken } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { findExpiredAlerts } from '../domain/alerts/expire-alerts.js';
import { releaseJobLease, takeJobLease } from '../domain/jobs/job-lease.js';
import type { Store } from '../store/index.js';
import type { IngestService } from './ingest-service.js';
import { emptyResult } from './signal.js';

export const ALERT_EXPIRY_JOB = 'alert-expiry';
/** Alerts resolved per round; a round is one ingest batch (one transaction). */
const ROUND = 500;
/** Rounds per tick at most, so a backlog drains over a few ticks instead of one long one. */
const MAX_ROUNDS = 20;

export interface AlertExpiryOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  service: IngestService;
  /** Identifies this process as the lease holder. */
  holder?: string;
  everyMs?: number;
}

/**
 * One sweep: if this instance holds the expiry lease, resolve every alert whose expiry passed,
 * through the ingest queue (group commit, planner, incident hooks). Returns how many resolve
 * signals were submitted (the planner skips any alert re-posted in the meantime).
 */
export async function expireAlertsOnce(options: AlertExpiryOptions & { holder: string; leaseMs: number }): Promise<number> {
  const { store, clock, service } = options;
  if (!(await takeJobLease(store.db, { name: ALERT_EXPIRY_JOB, holder: options.holder, now: clock.now(), ttlMs: options.leaseMs }))) return 0;
  let submitted = 0;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const now = clock.now();
    const { batches, found } = await findExpiredAlerts(store.db, now, ROUND);
    await Promise.all(batches.map((batch) => service.submit({
      integration: batch.integration,
      result: { ...emptyResult('alertmanager-api', { status: 200, body: null }), signals: batch.signals },
      rawBody: '',
    })));
    submitted += found;
    if (found < ROUND) break;
  }
  return submitted;
}

/** Runs the sweep every `everyMs` (default 15 s) in this process; returns a stop function. */
export function startAlertExpiry(options: AlertExpiryOptions): () => Promise<void> {
  const holder = options.holder ?? `expiry:${randomToken(6)}`;
  const everyMs = options.everyMs ?? 15_000;
  let running: Promise<void> | null = null;
  const tick = (): void => {
    if (running) return;
    running = expireAlertsOnce({ ...options, holder, leaseMs: everyMs * 3 })
      .then((n) => { if (n > 0) options.log.info('ingest', 'expired alerts resolved', { count: n }); })
      .catch((error: unknown) => options.log.warn('ingest', 'alert expiry failed; retrying next tick', { error: (error as Error).message }))
      .finally(() => { running = null; });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    await releaseJobLease(options.store.db, { name: ALERT_EXPIRY_JOB, holder }).catch(() => {});
  };
}
