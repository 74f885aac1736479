import { sql, type Kysely, type RawBuilder } from 'kysely';
import { CHANGE_HORIZON_MS, DAY_MS, REPORTED_DELIVERY_COLUMNS, REPORTED_EVENT_COLUMNS, REPORTED_INCIDENT_COLUMNS } from '../report-days.js';
import { ackEvent, cadenceEvent, handoffEvent, pageDelivery } from '../report-predicates.js';

const horizon = sql.raw(`(unixepoch() * 1000 - ${CHANGE_HORIZON_MS})`);
const day = (at: string) => sql.raw(`(${at}) / ${DAY_MS} * ${DAY_MS}`);

/** Bumps the day holding `at` when it is past the horizon. */
const bump = (at: string): RawBuilder<unknown> =>
  sql`insert into report_day_changes (day, version) select ${day(at)}, 1 where ${sql.raw(at)} < ${horizon} on conflict (day) do update set version = version + 1;`;

/** The report day triggers (store/report-days.ts) in SQLite's dialect. */
export async function createReportDayTriggersSqlite(db: Kysely<any>): Promise<void> {
  const incidentColumns = sql.raw(REPORTED_INCIDENT_COLUMNS.join(', '));
  const eventColumns = sql.raw(REPORTED_EVENT_COLUMNS.join(', '));
  const deliveryColumns = sql.raw(REPORTED_DELIVERY_COLUMNS.join(', '));
  const reportedEvent = (row: 'NEW' | 'OLD') => sql`((${ackEvent(row)}) or (${cadenceEvent(row)}))`;
  const settled = (at: string) => sql`${sql.raw(at)} < ${horizon}`;
  const either = (column: string) => sql`(${settled(`OLD.${column}`)} or ${settled(`NEW.${column}`)})`;
  // The horizon is in each WHEN too, so a write of today's rows (the hot path) runs no statement.
  const statements: RawBuilder<unknown>[] = [
    sql`create trigger report_days_incident_insert after insert on incidents when ${settled('NEW.detected_at')} begin ${bump('NEW.detected_at')} end`,
    sql`create trigger report_days_incident_update after update of ${incidentColumns} on incidents when ${either('detected_at')} begin ${bump('OLD.detected_at')} ${bump('NEW.detected_at')} end`,
    sql`create trigger report_days_incident_delete after delete on incidents when ${settled('OLD.detected_at')} begin ${bump('OLD.detected_at')} end`,
    sql`create trigger report_days_event_insert after insert on timeline_events when ${reportedEvent('NEW')} and ${settled('NEW.at')} begin ${bump('NEW.at')} end`,
    sql`create trigger report_days_event_update after update of ${eventColumns} on timeline_events when (${reportedEvent('OLD')} or ${reportedEvent('NEW')}) and ${either('at')} begin ${bump('OLD.at')} ${bump('NEW.at')} end`,
    sql`create trigger report_days_event_delete after delete on timeline_events when ${reportedEvent('OLD')} and ${settled('OLD.at')} begin ${bump('OLD.at')} end`,
    // A hand-off ends the "time acknowledged" of the acknowledgements before it, which the
    // cache keeps on the acknowledgements' own days.
    sql`create trigger report_days_handoff after insert on timeline_events when ${handoffEvent('NEW')} begin
      insert into report_day_changes (day, version)
        select distinct ${day('at')}, 1 from timeline_events
        where incident_id = NEW.incident_id and ${ackEvent(null)} and at < ${horizon}
        on conflict (day) do update set version = version + 1;
    end`,
    sql`create trigger report_days_delivery_insert after insert on deliveries when ${pageDelivery('NEW')} and ${settled('NEW.created_at')} begin ${bump('NEW.created_at')} end`,
    sql`create trigger report_days_delivery_update after update of ${deliveryColumns} on deliveries when (${pageDelivery('OLD')} or ${pageDelivery('NEW')}) and ${either('created_at')} begin ${bump('OLD.created_at')} ${bump('NEW.created_at')} end`,
    sql`create trigger report_days_delivery_delete after delete on deliveries when ${pageDelivery('OLD')} and ${settled('OLD.created_at')} begin ${bump('OLD.created_at')} end`,
  ];
  for (const statement of statements) await statement.execute(db);
}
