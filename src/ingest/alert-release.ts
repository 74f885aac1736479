import type { Clock } from '../core/clock.js';
import { findReleasedAlerts } from '../domain/alerts/release-held-alerts.js';
import type { Store } from '../store/index.js';
import type { IngestService } from './ingest-service.js';
import { emptyResult } from './signal.js';

/** Alerts released per round; a round is one ingest batch per integration. */
const ROUND = 500;
/** Rounds per call at most; the periodic sweep takes what is left. */
const MAX_ROUNDS = 20;

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
  let submitted = 0;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const { batches, found } = await findReleasedAlerts(store.db, clock.now(), ROUND, options.heldBy);
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
