import type { Clock } from '../core/clock.js';
import { findReleasedAlerts } from '../domain/alerts/release-held-alerts.js';
import type { Store } from '../store/index.js';
import type { IngestService } from './ingest-service.js';
import { submitSyntheticRounds } from './synthetic-rounds.js';

/**
 * Re-evaluates, through the ingest queue (group commit, planner, incident hooks), every firing
 * alert whose silence or maintenance window is no longer in force; only those `heldBy` one
 * silence or window when given. Returns how many release signals were submitted.
 *
 * Safe to run from several places at once (the sweep, and the request that expired a silence):
 * the planner re-checks each alert, and one already released is left alone.
 */
export async function releaseHeldAlerts(options: { store: Store; clock: Clock; service: IngestService; heldBy?: string }): Promise<number> {
  const { store, clock, service } = options;
  return submitSyntheticRounds(service, clock, (now, limit) => findReleasedAlerts(store.db, now, limit, options.heldBy));
}
