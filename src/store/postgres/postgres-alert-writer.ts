import { sql } from 'kysely';
import { ALERT_COLUMNS, alertRefKey, type AlertBatchWriter, type AlertGroupRow } from '../alert-batch-writer.js';
import type { AlertTable } from '../schema.js';

/**
 * PostgreSQL: one round trip per kind of statement per batch. Key lookups pass two parallel
 * text arrays through `unnest`, inserts are multi-row, updates are grouped by column set.
 */
const INSERT_CHUNK = 500;

export function createPostgresAlertWriter(): AlertBatchWriter {
  return {
    async readCounter(tx, name) {
      const result = await sql<{ value: number }>`select value from counters where name = ${name}`.execute(tx);
      const row = result.rows[0];
      return row ? Number(row.value) : null;
    },
    async findGroups(tx, ids, liveKeys) {
      if (ids.length === 0 && liveKeys.length === 0) return [];
      const result = await sql<AlertGroupRow>`
        select g.*, i.status as incident_status, i.severity as incident_severity from alert_groups g left join incidents i on i.id = g.incident_id
        where g.id = any(${[...ids]}::text[])
        union
        select g.*, i.status as incident_status, i.severity as incident_severity from alert_groups g
        join unnest(${liveKeys.map((k) => k.scope)}::text[], ${liveKeys.map((k) => k.groupKey)}::text[]) as k(scope, group_key)
          on g.scope = k.scope and g.group_key = k.group_key and g.state <> 'closed'
        left join incidents i on i.id = g.incident_id`.execute(tx);
      return result.rows;
    },
    async insertGroups(tx, rows) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insertInto('alert_groups').values(rows.slice(i, i + INSERT_CHUNK)).execute();
    },
    async findOpenAlerts(tx, keys) {
      if (keys.length === 0) return [];
      const result = await sql<AlertTable>`
        select a.* from alerts a
        join unnest(${keys.map((k) => k.integrationId)}::text[], ${keys.map((k) => k.dedupKey)}::text[]) as k(integration_id, dedup_key)
          on a.integration_id = k.integration_id and a.dedup_key = k.dedup_key
        where a.status <> 'resolved'`.execute(tx);
      return result.rows;
    },
    async countResolvedSince(tx, keys) {
      const out = new Map<string, number>();
      if (keys.length === 0) return out;
      const result = await sql<{ integration_id: string; dedup_key: string; n: number }>`
        select a.integration_id, a.dedup_key, count(*)::int as n from alerts a
        join unnest(${keys.map((k) => k.integrationId)}::text[], ${keys.map((k) => k.dedupKey)}::text[], ${keys.map((k) => k.since)}::bigint[]) as k(integration_id, dedup_key, since)
          on a.integration_id = k.integration_id and a.dedup_key = k.dedup_key and a.resolved_at >= k.since
        group by a.integration_id, a.dedup_key`.execute(tx);
      for (const row of result.rows) out.set(alertRefKey({ integrationId: row.integration_id, dedupKey: row.dedup_key }), Number(row.n));
      return out;
    },
    async insertRawPayloads(tx, rows) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insertInto('raw_payloads').values(rows.slice(i, i + INSERT_CHUNK)).execute();
    },
    async insertAlerts(tx, rows) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK).map((r) => Object.fromEntries(ALERT_COLUMNS.map((c) => [c, r[c]])) as unknown as AlertTable);
        await tx.insertInto('alerts').values(chunk).execute();
      }
    },
    async updateGroups(tx, changes, now) {
      // One statement per run of changes; closing ones come first and must land first.
      const closing = changes.filter((c) => c.state === 'closed');
      const rest = changes.filter((c) => c.state !== 'closed');
      for (const part of [closing, rest]) {
        if (part.length === 0) continue;
        await sql`
          update alert_groups g set state = u.state, incident_id = u.incident_id, window_start_at = u.window_start_at,
            window_count = u.window_count, open_alerts = u.open_alerts, updated_at = ${now}
          from unnest(${part.map((c) => c.id)}::text[], ${part.map((c) => c.state)}::text[], ${part.map((c) => c.incident_id)}::text[],
            ${part.map((c) => c.window_start_at)}::bigint[], ${part.map((c) => c.window_count)}::int[], ${part.map((c) => c.open_alerts)}::int[])
            as u(id, state, incident_id, window_start_at, window_count, open_alerts)
          where g.id = u.id`.execute(tx);
      }
    },
    async updateAlerts(tx, changes) {
      for (const change of changes) {
        const set: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(change.set)) if (v !== undefined) set[k] = v;
        await tx
          .updateTable('alerts')
          .set({ ...set, count: sql<number>`count + ${change.countDelta}` })
          .where('id', '=', change.id)
          .execute();
      }
    },
  };
}
