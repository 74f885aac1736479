import type { Database as Native, Statement } from 'better-sqlite3';
import { DELIVERY_COLUMNS, TIMELINE_COLUMNS, TIMER_COLUMNS, type PagingBatchWriter } from '../paging-batch-writer.js';
import type { IncidentEscalationTable, IncidentTable } from '../schema.js';

/**
 * SQLite: prepared once, run per row on the connection Kysely's transaction holds (see
 * sqlite-alert-writer.ts). Kysely's driver prepares every statement again on each execution,
 * which was most of the CPU of an escalation step. No row locks: SQLite has one writer.
 */
export function createSqlitePagingWriter(native: Native): PagingBatchWriter {
  const cache = new Map<string, Statement>();
  const stmt = (sql: string): Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = native.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };

  return {
    async lockEscalations(_tx, incidentIds) {
      const ids = [...incidentIds].sort();
      const inc = stmt('select * from incidents where id = ?');
      const esc = stmt('select * from incident_escalations where incident_id = ?');
      const incidents: IncidentTable[] = [];
      const escalations: IncidentEscalationTable[] = [];
      for (const id of ids) {
        const row = inc.get(id) as IncidentTable | undefined;
        if (row) incidents.push(row);
      }
      for (const id of ids) {
        const row = esc.get(id) as IncidentEscalationTable | undefined;
        if (row) escalations.push(row);
      }
      return { incidents, escalations };
    },
    async heldTimers(_tx, owner, claims) {
      const s = stmt('select id from timers where id = ? and locked_by = ? and attempts = ?');
      const held = new Set<string>();
      for (const c of claims) if (s.get(c.id, owner, c.attempts)) held.add(c.id);
      return held;
    },
    async saveEscalations(_tx, rows) {
      const s = stmt('update incident_escalations set state = @state, status = @status, generation = @generation, updated_at = @updated_at where incident_id = @incident_id');
      for (const r of rows) s.run(r);
    },
    async upsertTimers(_tx, rows) {
      const s = stmt(
        `insert into timers (${TIMER_COLUMNS.join(', ')}) values (${TIMER_COLUMNS.map((c) => `@${c}`).join(', ')})
         on conflict (key) do update set kind = excluded.kind, payload = excluded.payload, run_at = excluded.run_at, attempts = 0,
           last_error = null, locked_by = null, locked_until = null, generation = excluded.generation`,
      );
      for (const r of rows) s.run(r);
    },
    async deleteTimers(_tx, keys) {
      const s = stmt('delete from timers where key = ?');
      for (const k of keys) s.run(k);
    },
    async insertDeliveries(_tx, rows) {
      const s = stmt(
        `insert into deliveries (${DELIVERY_COLUMNS.join(', ')}) values (${DELIVERY_COLUMNS.map((c) => `@${c}`).join(', ')})
         on conflict (incident_id, action_key, contact_method_id) do nothing`,
      );
      const inserted = new Set<string>();
      for (const r of rows) if (s.run(r).changes === 1) inserted.add(r.id);
      return inserted;
    },
    async insertTimeline(_tx, rows, options) {
      const s = stmt(`insert into timeline_events (${TIMELINE_COLUMNS.join(', ')}) values (${TIMELINE_COLUMNS.map((c) => `@${c}`).join(', ')})`);
      const bump = stmt('update incidents set updated_at = ? where id = ? and updated_at < ?');
      const latest = new Map<string, number>();
      for (const r of rows) {
        s.run(r);
        latest.set(r.incident_id, Math.max(latest.get(r.incident_id) ?? 0, r.at));
      }
      if (options.touchIncidents) for (const [id, at] of latest) bump.run(at, id, at);
    },
    async finishDeliveries(_tx, owner, results) {
      const s = stmt(
        `update deliveries set status = @status, next_attempt_at = @next_attempt_at, sent_at = @sent_at, latency_ms = @latency_ms,
           last_status_code = @last_status_code, last_error = @last_error, locked_by = null, locked_until = null
         where id = @id and locked_by = @owner and attempts = @attempts`,
      );
      const done = new Set<string>();
      for (const r of results) if (s.run({ ...r, owner }).changes === 1) done.add(r.id);
      return done;
    },
  };
}
