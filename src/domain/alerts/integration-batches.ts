import type { AlertSignal } from './signal.js';
import type { PlanIntegration } from './plan-alert-batch.js';
import { readSettings } from './settings.js';

/** Signals Firebreak makes itself for stored alerts (expiry, release), one batch per integration. */
export interface IntegrationBatch {
  integration: PlanIntegration & { format: string; name: string };
  signals: AlertSignal[];
}

/** The integration columns a query joins onto each alert row (null when it was deleted). */
export interface IntegrationColumns {
  integration_id: string;
  name: string | null;
  format: string | null;
  service_id: string | null;
  settings: string | null;
}

/**
 * Groups rows by integration, in row order. A deleted integration's alerts still get their
 * signal, with default settings: otherwise they would stay open (or held) forever.
 */
export function batchByIntegration<R extends IntegrationColumns>(rows: readonly R[], toSignal: (row: R) => AlertSignal, integration: Partial<PlanIntegration> = {}): IntegrationBatch[] {
  const batches = new Map<string, IntegrationBatch>();
  for (const row of rows) {
    let batch = batches.get(row.integration_id);
    if (!batch) {
      batch = {
        integration: {
          id: row.integration_id, name: row.name ?? row.integration_id, format: row.format ?? 'alertmanager-api',
          serviceId: row.service_id ?? null, settings: readSettings(row.settings ?? '{}'), ...integration,
        },
        signals: [],
      };
      batches.set(row.integration_id, batch);
    }
    batch.signals.push(toSignal(row));
  }
  return [...batches.values()];
}
