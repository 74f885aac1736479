import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { incidentGaugeFigures, TTA_BUCKETS } from '../domain/metrics/incident-gauges.js';
import type { Store } from '../store/index.js';
import { Gauge, Histogram, type MetricsRegistry } from './metrics.js';

/** Read at most this often, whatever the scrape interval or the number of scrapers. */
const REFRESH_MS = 30_000;

/**
 * Incident-level series for existing dashboards. They describe the database, not this process:
 * every instance exposes the same values, so aggregate them with max(), not sum()
 * (docs/metrics.md). Drills are left out. A failed read keeps the last values and logs.
 */
export function registerIncidentMetrics(registry: MetricsRegistry, deps: { store: Store; clock: Clock; log: Logger }): void {
  const open = registry.register(new Gauge('firebreak_incidents_open', 'Open (unresolved) non-drill incidents by severity.'));
  const byStatus = registry.register(new Gauge('firebreak_incidents', 'Non-drill incidents by severity and status, all time.'));
  const tta = registry.register(new Histogram('firebreak_incident_time_to_ack_seconds', 'Detected to first acknowledgement of non-drill incidents, all time, by severity.', [...TTA_BUCKETS]));
  let readAt = -Infinity;
  registry.addCollector(async () => {
    const now = deps.clock.now();
    if (now - readAt < REFRESH_MS) return;
    try {
      const figures = await incidentGaugeFigures(deps.store.db);
      readAt = now;
      const openBySeverity = new Map<string, number>();
      for (const { severity, status, count } of figures.bySeverityStatus) {
        byStatus.set(count, { severity, status });
        if (status !== 'resolved') openBySeverity.set(severity, (openBySeverity.get(severity) ?? 0) + count);
        else if (!openBySeverity.has(severity)) openBySeverity.set(severity, 0);
      }
      for (const [severity, count] of openBySeverity) open.set(count, { severity });
      for (const s of figures.ttaBySeverity) tta.setSeries({ severity: s.severity }, s.cumulative, s.sum, s.count);
    } catch (error) {
      deps.log.warn('store', 'incident metrics: could not read the database; keeping the last values', { error: (error as Error).message });
    }
  });
}
