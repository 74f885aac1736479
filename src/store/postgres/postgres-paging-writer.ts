import { sql } from 'kysely';
import { DELIVERY_COLUMNS, TIMELINE_COLUMNS, TIMER_COLUMNS, type PagingBatchWriter } from '../paging-batch-writer.js';
import type { DeliveryTable, IncidentEscalationTable, IncidentTable, TimelineEventTable, TimerTable } from '../schema.js';

/**
 * PostgreSQL: one round trip per kind of statement per group. Row sets go in as parallel arrays
 * through `unnest`, inserts are multi-row. Incidents are locked `FOR NO KEY UPDATE`: it still
 * excludes a concurrent status change (which locks `FOR UPDATE`), but not the key-share locks
 * that inserting a timeline event or delivery for that incident takes, so a delivery-result
 * flush never waits on (or deadlocks with) a timer group.
 */
const INSERT_CHUNK = 500;

const pick = <T, K extends keyof T>(row: T, columns: readonly K[]) => Object.fromEntries(columns.map((c) => [c, row[c]])) as Pick<T, K>;

export function createPostgresPagingWriter(): PagingBatchWriter {
  return {
    async lockEscalations(tx, incidentIds) {
      if (incidentIds.length === 0) return { incidents: [], escalations: [] };
      const ids = [...new Set(incidentIds)].sort();
      const incidents = await sql<IncidentTable>`select * from incidents where id = any(${ids}::text[]) order by id for no key update`.execute(tx);
      const escalations = await sql<IncidentEscalationTable>`
        select * from incident_escalations where incident_id = any(${ids}::text[]) order by incident_id for update`.execute(tx);
      return { incidents: incidents.rows, escalations: escalations.rows };
    },
    async heldTimers(tx, owner, claims) {
      if (claims.length === 0) return new Set();
      const result = await sql<{ id: string }>`
        select t.id from timers t
        join unnest(${claims.map((c) => c.id)}::text[], ${claims.map((c) => c.attempts)}::int[]) as c(id, attempts)
          on t.id = c.id and t.attempts = c.attempts
        where t.locked_by = ${owner}
        order by t.id
        for update of t`.execute(tx);
      return new Set(result.rows.map((r) => r.id));
    },
    async saveEscalations(tx, rows) {
      if (rows.length === 0) return;
      await sql`
        update incident_escalations e set state = u.state, status = u.status, generation = u.generation, updated_at = u.updated_at
        from unnest(${rows.map((r) => r.incident_id)}::text[], ${rows.map((r) => r.state)}::text[], ${rows.map((r) => r.status)}::text[],
          ${rows.map((r) => r.generation)}::int[], ${rows.map((r) => r.updated_at)}::bigint[]) as u(incident_id, state, status, generation, updated_at)
        where e.incident_id = u.incident_id`.execute(tx);
    },
    async upsertTimers(tx, rows) {
      // One row per key: a statement may not update the same row twice.
      const byKey = [...new Map(rows.map((r) => [r.key, r])).values()];
      for (let i = 0; i < byKey.length; i += INSERT_CHUNK) {
        await tx
          .insertInto('timers')
          .values(byKey.slice(i, i + INSERT_CHUNK).map((r) => pick<TimerTable, (typeof TIMER_COLUMNS)[number]>(r, TIMER_COLUMNS)))
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({
              kind: eb.ref('excluded.kind'),
              payload: eb.ref('excluded.payload'),
              run_at: eb.ref('excluded.run_at'),
              attempts: 0,
              last_error: null,
              locked_by: null,
              locked_until: null,
              generation: eb.ref('excluded.generation'),
            })),
          )
          .execute();
      }
    },
    async deleteTimers(tx, keys) {
      if (keys.length === 0) return;
      await sql`delete from timers where key = any(${[...keys]}::text[])`.execute(tx);
    },
    async insertDeliveries(tx, rows) {
      const inserted = new Set<string>();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const result = await tx
          .insertInto('deliveries')
          .values(rows.slice(i, i + INSERT_CHUNK).map((r) => pick<DeliveryTable, (typeof DELIVERY_COLUMNS)[number]>(r, DELIVERY_COLUMNS)))
          .onConflict((oc) => oc.columns(['incident_id', 'action_key', 'contact_method_id']).doNothing())
          .returning('id')
          .execute();
        for (const r of result) inserted.add(r.id);
      }
      return inserted;
    },
    async insertTimeline(tx, rows, options) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx
          .insertInto('timeline_events')
          .values(rows.slice(i, i + INSERT_CHUNK).map((r) => pick<TimelineEventTable, (typeof TIMELINE_COLUMNS)[number]>(r, TIMELINE_COLUMNS)))
          .execute();
      }
      if (!options.touchIncidents || rows.length === 0) return;
      const latest = new Map<string, number>();
      for (const r of rows) latest.set(r.incident_id, Math.max(latest.get(r.incident_id) ?? 0, r.at));
      await sql`
        update incidents i set updated_at = u.at
        from unnest(${[...latest.keys()]}::text[], ${[...latest.values()]}::bigint[]) as u(id, at)
        where i.id = u.id and i.updated_at < u.at`.execute(tx);
    },
    async finishDeliveries(tx, owner, results) {
      if (results.length === 0) return new Set();
      const col = <K extends keyof (typeof results)[number]>(k: K) => results.map((r) => r[k]);
      // By key, whatever the statistics say. Costed on statistics from before a fan-out queued
      // its rows, ~40 results (100 ms of a fan-out) were planned as a sequential scan of the
      // whole queue, 4–5 ms each, 120 times a fan-out (BENCHMARKS.md). Scoped to this statement.
      await sql`set local enable_seqscan = off`.execute(tx);
      const result = await sql<{ id: string }>`
        update deliveries d set status = u.status, next_attempt_at = u.next_attempt_at, sent_at = u.sent_at, latency_ms = u.latency_ms,
          last_status_code = u.last_status_code, last_error = u.last_error, locked_by = null, locked_until = null
        from unnest(${col('id')}::text[], ${col('attempts')}::int[], ${col('status')}::text[], ${col('next_attempt_at')}::bigint[],
          ${col('sent_at')}::bigint[], ${col('latency_ms')}::int[], ${col('last_status_code')}::int[], ${col('last_error')}::text[])
          as u(id, attempts, status, next_attempt_at, sent_at, latency_ms, last_status_code, last_error)
        where d.id = u.id and d.locked_by = ${owner} and d.attempts = u.attempts
        returning d.id`.execute(tx);
      await sql`set local enable_seqscan to default`.execute(tx);
      return new Set(result.rows.map((r) => r.id));
    },
  };
}
