import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { ackEvent, cadenceEvent, handoffEvent, pageDelivery } from '../report-predicates.js';

/**
 * The incident report at full size (issue 13: a million incidents, twenty million timeline
 * events): each report query reads its rows from one index, without visiting the table rows.
 * - acknowledgements and update-cadence outcomes by time and by incident, in partial indexes
 *   holding only those events (a few percent of the timeline) with the columns the report reads;
 * - hand-offs by incident, for where "time spent acknowledged" ends;
 * - pages by time, with the columns the on-call figures group by;
 * - incidents by id and by service with the columns the event queries filter and sum on (drill,
 *   severity, service, resolution), so joining events to incidents reads an index only (by id
 *   for a range over all services, by service when one service's incidents drive the join).
 * The conditions live in store/report-predicates.ts, which the report queries use verbatim.
 * 0022's timeline_kind_at and 0015's deliveries_purpose_created served only the report and are
 * replaced (SQLite's planner also preferred the first, an equality and a range, over the
 * covering partial index, and read every event row from the table).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // By time (a range over all services) and by incident (one service's or team's incidents):
  // each planner picks the one its filter makes cheaper. The conditions' columns are in the
  // index too: SQLite otherwise reads the table row to re-check them.
  await db.schema.createIndex('timeline_acks').on('timeline_events').columns(['at', 'incident_id', 'actor_type', 'actor_id', 'kind', 'data']).where(ackEvent(null)).execute();
  await db.schema.createIndex('timeline_acks_by_incident').on('timeline_events').columns(['incident_id', 'at', 'actor_type', 'actor_id', 'kind', 'data']).where(ackEvent(null)).execute();
  await db.schema.createIndex('timeline_cadence').on('timeline_events').columns(['at', 'incident_id', 'kind']).where(cadenceEvent(null)).execute();
  await db.schema.createIndex('timeline_cadence_by_incident').on('timeline_events').columns(['incident_id', 'at', 'kind']).where(cadenceEvent(null)).execute();
  await db.schema.createIndex('timeline_handoffs').on('timeline_events').columns(['incident_id', 'at']).where(handoffEvent(null)).execute();
  await db.schema.createIndex('deliveries_pages').on('deliveries').columns(['created_at', 'user_id', 'incident_id', 'action_key', 'purpose']).where(pageDelivery(null)).execute();
  await db.schema.dropIndex('timeline_kind_at').execute();
  await db.schema.dropIndex('deliveries_purpose_created').execute();
  await db.schema.createIndex('incidents_report_by_id').on('incidents').columns(['id', 'is_drill', 'severity', 'service_id', 'resolved_at']).execute();
  await db.schema.createIndex('incidents_report_by_service').on('incidents').columns(['service_id', 'id', 'is_drill', 'severity', 'resolved_at']).execute();
  // SQLite's planner knows nothing of an index ANALYZE has not seen, and measured at a million
  // incidents it then joined pages to incidents through the primary key and the table rows.
  // (PostgreSQL plans from the table's column statistics, which new indexes do not change.)
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const index of NEW_INDEXES) await sql`analyze ${sql.ref(index)}`.execute(db);
    // The per-index figures only: value samples have SQLite plan a statement again on every run
    // (store/sqlite/value-samples.ts, which also removes any an earlier ANALYZE left).
    const samples = await sql`select 1 from sqlite_schema where type = 'table' and name = 'sqlite_stat4'`.execute(db);
    if (samples.rows.length > 0) {
      await sql`delete from sqlite_stat4`.execute(db);
      await sql`analyze sqlite_schema`.execute(db);
    }
  }
}

const NEW_INDEXES = ['timeline_acks', 'timeline_acks_by_incident', 'timeline_cadence', 'timeline_cadence_by_incident', 'timeline_handoffs', 'deliveries_pages', 'incidents_report_by_id', 'incidents_report_by_service'];
