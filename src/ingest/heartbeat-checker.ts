import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { missedHeartbeats } from '../domain/alerts/heartbeats.js';
import { readSettings } from '../domain/alerts/settings.js';
import { heartbeatResult } from '../http/routes/ingest.js';
import type { Store } from '../store/index.js';
import type { IngestService } from './ingest-service.js';

/**
 * Periodic heartbeat check, in process for now. SEAM: the paging work moves this onto the
 * durable timer table (one timer per heartbeat integration, re-armed by each ping) so it runs
 * on exactly one worker and survives restarts; `missedHeartbeats` stays the decision. Until
 * then every instance checks, which is harmless: the alert's dedup key makes repeats no-ops.
 */
export function startHeartbeatChecks(options: { store: Store; clock: Clock; log: Logger; service: IngestService; everyMs?: number }): () => void {
  const { store, clock, log, service } = options;
  let running = false;
  const check = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const rows = await store.db.selectFrom('integrations').selectAll().where('format', '=', 'heartbeat').where('disabled', '=', 0).execute();
      const now = clock.now();
      const states = rows.map((r) => ({ id: r.id, lastHeartbeatAt: r.last_heartbeat_at, createdAt: r.created_at, disabled: r.disabled === 1, settings: readSettings(r.settings) }));
      for (const missed of missedHeartbeats(states, now)) {
        const row = rows.find((r) => r.id === missed.id)!;
        const integration = { id: row.id, name: row.name, format: row.format, serviceId: row.service_id, settings: readSettings(row.settings), disabled: false, repeatsAreNoops: true };
        await service.submit({ integration, result: heartbeatResult(integration, 'trigger', now, missed.since), rawBody: '' });
      }
    } catch (error) {
      log.warn('ingest', 'heartbeat check failed; retrying next tick', { error: (error as Error).message });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void check(), options.everyMs ?? 15_000);
  timer.unref();
  return () => clearInterval(timer);
}
