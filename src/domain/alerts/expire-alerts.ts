import { sql } from 'kysely';
import type { AlertSignal } from './signal.js';
import type { Db } from '../../store/index.js';
import { batchByIntegration, type IntegrationBatch } from './integration-batches.js';

/**
 * Alertmanager API semantics: a posted alert carries `endsAt` (Prometheus sends now + 4 ×
 * evaluation interval and re-posts while it fires; without one, receipt + resolve_timeout). When
 * a client stops posting, Alertmanager resolves the alert once `endsAt` passes. The expiry is
 * stored on the alert at ingest (`alerts.ends_at`, see `expiryToStore`); this finds the alerts
 * whose expiry passed and turns each into a resolve signal for the normal ingest pipeline, so
 * groups, incidents, timeline and paging follow exactly as for a resolve the sender posted.
 */
const iso = (ms: number): string => new Date(ms).toISOString();

/** Open alerts whose expiry is at or before `now`, oldest first, grouped by integration. */
export async function findExpiredAlerts(db: Db, now: number, limit: number): Promise<{ batches: IntegrationBatch[]; found: number }> {
  const rows = await db
    .selectFrom('alerts')
    .leftJoin('integrations', 'integrations.id', 'alerts.integration_id')
    .select([
      'alerts.integration_id', 'alerts.dedup_key', 'alerts.summary', 'alerts.last_seen_at', 'alerts.labels',
      'integrations.name', 'integrations.format', 'integrations.service_id', 'integrations.settings',
    ])
    // Literal, not a bound parameter: only then can SQLite (and a generic PostgreSQL plan) see
    // that the query implies the partial index `alerts_expiry`'s condition and use it.
    .where(sql<boolean>`alerts.ends_at is not null and alerts.status <> 'resolved'`)
    .where('alerts.ends_at', '<=', now)
    .orderBy('alerts.ends_at')
    .limit(limit)
    .execute();
  const batches = batchByIntegration(rows, (row) => expirySignal(row.dedup_key, row.summary, JSON.parse(row.labels) as Record<string, string>, row.last_seen_at, now), { repeatsAreNoops: true });
  return { batches, found: rows.length };
}

export function expirySignal(dedupKey: string, summary: string, labels: Record<string, string>, lastSeenAt: number, now: number): AlertSignal {
  return {
    dedupKey, lookup: 'dedup-key', action: 'resolve', summary, description: null, severity: null, source: null, labels,
    annotations: {}, tags: [], startedAt: null, endedAt: now, generatorUrl: null, runbookUrl: null, groupKey: null, details: null,
    expiry: { note: `no update since ${iso(lastSeenAt)}` },
  };
}
