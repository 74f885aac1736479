import type { Clock } from '../core/clock.js';
import { randomToken } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { findExpiredAlerts } from '../domain/alerts/expire-alerts.js';
import { releaseJobLease, takeJobLease } from '../domain/jobs/job-lease.js';
import type { Store } from '../store/index.js';
import { releaseHeldAlerts } from './alert-release.js';
import type { IngestService } from './ingest-service.js';
import { submitSyntheticRounds } from './synthetic-rounds.js';

export const ALERT_EXPIRY_JOB = 'alert-expiry';

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
 * through the ingest queue (group commit, planner, incident hooks), then release every firing
 * alert whose silence or maintenance window ended since (nobody calls us when one runs out).
 * Returns how many resolve signals were submitted (the planner skips any alert re-posted in the
 * meantime), or null when another instance holds the lease.
 */
export async function sweepAlertsOnce(options: AlertExpiryOptions & { holder: string; leaseMs: number }): Promise<{ expired: number; released: number } | null> {
  const { store, clock } = options;
  if (!(await takeJobLease(store.db, { name: ALERT_EXPIRY_JOB, holder: options.holder, now: clock.now(), ttlMs: options.leaseMs }))) return null;
  const expired = await expireAlerts(options);
  const released = await releaseHeldAlerts(options);
  return { expired, released };
}

/** {@link sweepAlertsOnce}, answering how many alerts expired (0 without the lease). */
export async function expireAlertsOnce(options: AlertExpiryOptions & { holder: string; leaseMs: number }): Promise<number> {
  return (await sweepAlertsOnce(options))?.expired ?? 0;
}

async function expireAlerts(options: AlertExpiryOptions): Promise<number> {
  const { store, clock, service } = options;
  return submitSyntheticRounds(service, clock, (now, limit) => findExpiredAlerts(store.db, now, limit));
}

/** Runs the sweep every `everyMs` (default 15 s) in this process; returns a stop function. */
export function startAlertExpiry(options: AlertExpiryOptions): () => Promise<void> {
  const holder = options.holder ?? `expiry:${randomToken(6)}`;
  const everyMs = options.everyMs ?? 15_000;
  let running: Promise<void> | null = null;
  const tick = (): void => {
    if (running) return;
    running = sweepAlertsOnce({ ...options, holder, leaseMs: everyMs * 3 })
      .then((swept) => {
        if (swept && swept.expired > 0) options.log.info('ingest', 'expired alerts resolved', { count: swept.expired });
        if (swept && swept.released > 0) options.log.info('ingest', 'alerts re-evaluated: their silence or maintenance window ended', { count: swept.released });
      })
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
