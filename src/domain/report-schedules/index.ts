export { deleteReportSchedule } from './delete-report-schedule.js';
export { getReportSchedule, listReportSchedules } from './list-report-schedules.js';
export type { ReportScheduleView } from './report-schedule-view.js';
export { ReportScheduleInput, type ReportScheduleSpec } from './schemas.js';
export { sendDueReports, type SendDueReportsDeps, type SendReportMail } from './send-due-reports.js';
export { setReportSchedule, writeReportSchedule } from './set-report-schedule.js';
export type { ReportMail } from './render-report-email.js';
