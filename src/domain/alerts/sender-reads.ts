import type { Db } from '../../store/index.js';
import type { AlertTable, RawPayloadTable } from '../../store/schema.js';
import type { AlertLookup } from './signal.js';

/**
 * What a sender may read back with its own integration key (Opsgenie `GET /v2/alerts/{id}` and
 * `GET /v2/alerts/requests/{id}`): only its integration's alerts and requests, never another's.
 */

/** The integration's alert by dedup key (its newest, open first) or by the id we gave it. */
export async function findSenderAlert(db: Db, integrationId: string, identifier: string, lookup: AlertLookup): Promise<(AlertTable & { integration_name: string }) | null> {
  let query = db
    .selectFrom('alerts')
    .innerJoin('integrations', 'integrations.id', 'alerts.integration_id')
    .selectAll('alerts')
    .select('integrations.name as integration_name')
    .where('alerts.integration_id', '=', integrationId);
  query = lookup === 'dedup-key' ? query.where('alerts.dedup_key', '=', identifier) : query.where('alerts.id', '=', identifier);
  // A dedup key may have resolved alerts behind the open one: the open one, else the newest.
  const rows = await query.orderBy('alerts.id', 'desc').limit(20).execute();
  return rows.find((r) => r.status !== 'resolved') ?? rows[0] ?? null;
}

/** A stored request of the integration (its raw payload, kept for the retention period). */
export async function findSenderRequest(db: Db, integrationId: string, id: string): Promise<RawPayloadTable | null> {
  const row = await db.selectFrom('raw_payloads').selectAll().where('id', '=', id).where('integration_id', '=', integrationId).executeTakeFirst();
  return row ?? null;
}
