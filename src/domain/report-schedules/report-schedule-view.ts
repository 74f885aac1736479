import type { ReportScheduleTable } from '../../store/schema.js';

export interface ReportScheduleView {
  name: string;
  every: 'week' | 'month';
  rangeDays: number | null;
  service: string | null;
  team: string | null;
  severity: string[];
  bucket: 'week' | 'month';
  recipients: string[];
  enabled: boolean;
  managedBy: string | null;
  createdAt: string;
  lastSent: { periodStart: string; periodEnd: string; sentAt: string } | null;
}

export interface ScheduleFilters {
  service: string | null;
  team: string | null;
  severity: string[];
  bucket: 'week' | 'month';
}

export const filtersOf = (row: ReportScheduleTable): ScheduleFilters => JSON.parse(row.filters) as ScheduleFilters;

export function toReportScheduleView(row: ReportScheduleTable, last: { period_start: number; period_end: number; sent_at: number | null } | undefined): ReportScheduleView {
  const f = filtersOf(row);
  return {
    name: row.name, every: row.every as 'week' | 'month', rangeDays: row.range_days === null ? null : Number(row.range_days),
    service: f.service, team: f.team, severity: f.severity, bucket: f.bucket,
    recipients: JSON.parse(row.recipients) as string[], enabled: Number(row.enabled) === 1, managedBy: row.managed_by,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    lastSent: last && last.sent_at !== null
      ? { periodStart: new Date(Number(last.period_start)).toISOString(), periodEnd: new Date(Number(last.period_end)).toISOString(), sentAt: new Date(Number(last.sent_at)).toISOString() }
      : null,
  };
}
