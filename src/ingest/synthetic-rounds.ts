import type { Clock } from '../core/clock.js';
import type { BatchItem } from '../domain/alerts/process-alert-batch.js';
import type { IngestService } from './ingest-service.js';
import { emptyResult, type AlertSignal } from '../domain/alerts/signal.js';

/** Alerts per round; a round is one ingest batch per integration. */
const ROUND = 500;
/** Rounds per call at most, so a backlog drains over a few ticks instead of one long one. */
const MAX_ROUNDS = 20;

export interface SyntheticBatches {
  batches: { integration: BatchItem['integration']; signals: AlertSignal[] }[];
  found: number;
}

/**
 * Signals Firebreak makes itself (an alert's expiry passed, its silence ended) go through the
 * ingest queue like a sender's, so the group commit, the planner and the incident hooks treat
 * them the same. `find(now, limit)` reads the next round; rounds go on while one comes back full.
 * Returns how many signals were submitted.
 */
export async function submitSyntheticRounds(service: IngestService, clock: Clock, find: (now: number, limit: number) => Promise<SyntheticBatches>): Promise<number> {
  let submitted = 0;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const { batches, found } = await find(clock.now(), ROUND);
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
