import { sql, type Kysely, type RawBuilder } from 'kysely';
import { CHANGE_HORIZON_MS, DAY_MS, REPORTED_DELIVERY_COLUMNS, REPORTED_EVENT_COLUMNS, REPORTED_INCIDENT_COLUMNS } from '../report-days.js';
import { ackEvent, cadenceEvent, handoffEvent, pageDelivery } from '../report-predicates.js';

/**
 * The report day triggers (store/report-days.ts) in PostgreSQL's dialect. Each trigger's WHEN
 * decides in the executor whether a row is past the horizon, so a write of today's rows (the
 * hot path) calls no function at all.
 */
export async function createReportDayTriggersPostgres(db: Kysely<any>): Promise<void> {
  const horizon = sql.raw(`report_day_horizon()`);
  const incidentColumns = sql.raw(REPORTED_INCIDENT_COLUMNS.join(', '));
  const eventColumns = sql.raw(REPORTED_EVENT_COLUMNS.join(', '));
  const deliveryColumns = sql.raw(REPORTED_DELIVERY_COLUMNS.join(', '));
  const reportedEvent = (row: 'NEW' | 'OLD') => sql`((${ackEvent(row)}) or (${cadenceEvent(row)}))`;
  /** A trigger function bumping the days of OLD.<column> and/or NEW.<column> that are past the horizon. */
  const bumpFunction = (name: string, column: string) => sql`
    create function ${sql.raw(name)}() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' and OLD.${sql.raw(column)} < report_day_horizon() then perform report_day_changed(OLD.${sql.raw(column)}); end if;
      if tg_op <> 'DELETE' and NEW.${sql.raw(column)} < report_day_horizon() then perform report_day_changed(NEW.${sql.raw(column)}); end if;
      return null;
    end $$`;
  const statements: RawBuilder<unknown>[] = [
    sql`create function report_day_horizon() returns bigint language sql volatile as $$ select (extract(epoch from clock_timestamp()) * 1000)::bigint - ${sql.raw(String(CHANGE_HORIZON_MS))} $$`,
    sql`create function report_day_changed(at bigint) returns void language sql as $$
      insert into report_day_changes (day, version) values (at / ${sql.raw(String(DAY_MS))} * ${sql.raw(String(DAY_MS))}, 1)
      on conflict (day) do update set version = report_day_changes.version + 1 $$`,
    bumpFunction('report_days_incident_changed', 'detected_at'),
    bumpFunction('report_days_event_changed', 'at'),
    bumpFunction('report_days_delivery_changed', 'created_at'),
    sql`create function report_days_handoff() returns trigger language plpgsql as $$
    begin
      -- A hand-off ends the "time acknowledged" of the acknowledgements before it, which the
      -- cache keeps on the acknowledgements' own days.
      perform report_day_changed(d.day) from (
        select distinct at / ${sql.raw(String(DAY_MS))} * ${sql.raw(String(DAY_MS))} as day from timeline_events
        where incident_id = NEW.incident_id and ${ackEvent(null)} and at < report_day_horizon()
      ) d;
      return null;
    end $$`,
    sql`create trigger report_days_incident_insert after insert on incidents for each row when (NEW.detected_at < ${horizon}) execute function report_days_incident_changed()`,
    sql`create trigger report_days_incident_update after update of ${incidentColumns} on incidents for each row when (OLD.detected_at < ${horizon} or NEW.detected_at < ${horizon}) execute function report_days_incident_changed()`,
    sql`create trigger report_days_incident_delete after delete on incidents for each row when (OLD.detected_at < ${horizon}) execute function report_days_incident_changed()`,
    sql`create trigger report_days_event_insert after insert on timeline_events for each row when (${reportedEvent('NEW')} and NEW.at < ${horizon}) execute function report_days_event_changed()`,
    sql`create trigger report_days_event_update after update of ${eventColumns} on timeline_events for each row when ((${reportedEvent('OLD')} and OLD.at < ${horizon}) or (${reportedEvent('NEW')} and NEW.at < ${horizon})) execute function report_days_event_changed()`,
    sql`create trigger report_days_event_delete after delete on timeline_events for each row when (${reportedEvent('OLD')} and OLD.at < ${horizon}) execute function report_days_event_changed()`,
    sql`create trigger report_days_handoff after insert on timeline_events for each row when (${handoffEvent('NEW')}) execute function report_days_handoff()`,
    sql`create trigger report_days_delivery_insert after insert on deliveries for each row when (${pageDelivery('NEW')} and NEW.created_at < ${horizon}) execute function report_days_delivery_changed()`,
    sql`create trigger report_days_delivery_update after update of ${deliveryColumns} on deliveries for each row when ((${pageDelivery('OLD')} and OLD.created_at < ${horizon}) or (${pageDelivery('NEW')} and NEW.created_at < ${horizon})) execute function report_days_delivery_changed()`,
    sql`create trigger report_days_delivery_delete after delete on deliveries for each row when (${pageDelivery('OLD')} and OLD.created_at < ${horizon}) execute function report_days_delivery_changed()`,
  ];
  for (const statement of statements) await statement.execute(db);
}
