import { sql } from 'kysely';
import type { AlertSignal } from './signal.js';
import type { Db } from '../../store/index.js';
import { batchByIntegration, type IntegrationBatch } from './integration-batches.js';

/**
 * A silence or maintenance window that ends (expired through the API or amtool, deleted, or
 * simply past its end) must release every still-firing alert it held: nobody posts anything
 * at that moment, and an Alertmanager repeat may be hours away. This finds the open alerts held
 * by a silence or window no longer in force and turns each into a release signal for the normal
 * ingest pipeline, so the planner re-evaluates it against the silences, windows and groups of
 * that moment: it pages as if it had just arrived, or stays held by whatever still matches.
 */

/**
 * Firing alerts whose recorded silence or window is not in force at `now` (ended, expired
 * early, or deleted), oldest first, grouped by integration; only those held by `heldBy` when
 * given (the silence or window a request just ended).
 */
export async function findReleasedAlerts(db: Db, now: number, limit: number, heldBy?: string): Promise<{ batches: IntegrationBatch[]; found: number }> {
  let query = db
    .selectFrom('alerts')
    .leftJoin('integrations', 'integrations.id', 'alerts.integration_id')
    .select([
      'alerts.integration_id', 'alerts.dedup_key', 'alerts.summary', 'alerts.description', 'alerts.severity_raw', 'alerts.labels',
      'alerts.annotations', 'alerts.started_at', 'alerts.group_key', 'alerts.suppressed_by',
      'integrations.name', 'integrations.format', 'integrations.service_id', 'integrations.settings',
    ])
    // Literal, so both databases see that the query implies the partial index `alerts_held`.
    .where(sql<boolean>`alerts.suppressed_by is not null and alerts.status = 'firing'`)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('silences').select('silences.id')
        .whereRef('silences.id', '=', 'alerts.suppressed_by').where('silences.starts_at', '<=', now).where('silences.ends_at', '>', now),
    )))
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('maintenance_windows').select('maintenance_windows.id')
        .whereRef('maintenance_windows.id', '=', 'alerts.suppressed_by').where('maintenance_windows.starts_at', '<=', now).where('maintenance_windows.ends_at', '>', now),
    )));
  if (heldBy !== undefined) query = query.where('alerts.suppressed_by', '=', heldBy);
  const rows = await query.orderBy('alerts.id').limit(limit).execute();
  return { batches: batchByIntegration(rows, releaseSignal), found: rows.length };
}

export function releaseSignal(row: {
  dedup_key: string; summary: string; description: string | null; severity_raw: string | null; labels: string; annotations: string;
  started_at: number | null; group_key: string | null; suppressed_by: string | null;
}): AlertSignal {
  const by = row.suppressed_by ?? '';
  const what = by.startsWith('mw_') ? `maintenance window ${by} ended` : `silence ${by} ended`;
  return {
    dedupKey: row.dedup_key, lookup: 'dedup-key', action: 'trigger', summary: row.summary, description: row.description,
    severity: row.severity_raw, source: null, labels: JSON.parse(row.labels) as Record<string, string>,
    annotations: JSON.parse(row.annotations) as Record<string, string>, tags: [], startedAt: row.started_at, endedAt: null,
    generatorUrl: null, runbookUrl: null,
    // The sender's group key is stored behind the `sender:` prefix groupKeyFor gave it; the other
    // groupings are recomputed from the labels.
    groupKey: row.group_key?.startsWith('sender:') ? row.group_key.slice('sender:'.length) : null,
    details: null, release: { note: what },
  };
}
