/** Report schedules and their sent periods (migration 0022, issue 13). */
export interface ReportScheduleTable {
  id: string;
  /** Unique, the handle in firebreak.yaml, the API and the CLI. */
  name: string;
  /** 'week' | 'month' */
  every: string;
  /** Days the report covers, ending at the period end; null = exactly the period. */
  range_days: number | null;
  /** JSON: { service?, team?, severity: string[], bucket } */
  filters: string;
  /** JSON: string[] of e-mail addresses. */
  recipients: string;
  enabled: number;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

/** One row per schedule and period: the outbox (pending → sent / failed) and the record that it went. */
export interface ReportSendTable {
  id: string;
  schedule_id: string;
  period_start: number;
  period_end: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/**
 * The incident report's cache of settled days (migration 0033): one row per UTC day, the
 * report's raw facts of that day (store/report-days.ts says which), valid while `version`
 * equals the day's row in report_day_changes (none = 0) and `format` the code's.
 */
export interface ReportDayTable {
  day: number;
  version: number;
  format: number;
  built_at: number;
  /** Binary, domain/metrics/report-facts-codec.ts. */
  data: Uint8Array;
}

/** Bumped by triggers (store/sqlite, store/postgres: report-day-triggers.ts) whenever a settled day's facts change. */
export interface ReportDayChangeTable {
  day: number;
  version: number;
}
