import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { followUpRecords } from '../../domain/actions/follow-up-records.js';
import { getIncidentReport } from '../../domain/metrics/get-incident-report.js';
import { deleteReportSchedule, getReportSchedule, listReportSchedules, setReportSchedule } from '../../domain/report-schedules/index.js';
import { queryList, route, type RouteTable } from '../route.js';
import { IncidentReport } from '../views/reports.js';

const ReportQuery = z.object({
  from: z.string().optional().describe('ISO 8601 time or date, or epoch ms; incidents detected at or after (default: 30 days before to)'),
  to: z.string().optional().describe('ISO 8601 time or date, or epoch ms; detected before (default: now)'),
  service: z.string().optional().describe('service slug or id'),
  team: z.string().optional().describe('team slug or id (the team owning the service)'),
  severity: z.union([z.string(), z.array(z.string())]).optional().describe('comma-separated severity keys'),
  bucket: z.string().optional().describe('trend bucket: week (default) or month'),
});

/** The body of PUT /api/v1/report-schedules/:name (the name comes from the path). Checked in the domain. */
const ScheduleBody = z.object({
  every: z.string().describe('week (each week ending Monday 00:00 UTC) or month (the 1st)'),
  rangeDays: z.number().int().optional().describe('days the report covers, ending at the period end (default: the period)'),
  service: z.string().optional().describe('service slug or id'),
  team: z.string().optional().describe('team slug or id'),
  severity: z.array(z.string()).optional().describe('severity keys (default: all)'),
  bucket: z.string().optional().describe('trend bucket in the report: week (default) or month'),
  recipients: z.array(z.string()).describe('e-mail addresses (1–50)'),
  enabled: z.boolean().optional(),
});

const timeParam = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v);

export function registerReportRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  route(app, table, {
    method: 'GET', url: '/api/v1/reports/incidents', tag: 'reports', access: 'read', query: ReportQuery,
    response: IncidentReport,
    summary: 'Incident metrics for a range: TTD/TTA/TTM/TTR distributions per severity, service and team, trend, MTBF, targets met, drills apart, on-call load; each figure with its definition.',
    handler: async ({ ctx, query }) =>
      getIncidentReport({
        ctx,
        followUps: followUpRecords(ctx.store.db),
        input: { from: timeParam(query.from), to: timeParam(query.to), service: query.service, team: query.team, severity: queryList(query.severity), bucket: query.bucket },
      }),
  }, buildCtx);

  route(app, table, {
    method: 'GET', url: '/api/v1/report-schedules', tag: 'reports', access: 'admin',
    summary: 'Scheduled reports (admin): each with its filters, recipients and last sent period.',
    handler: async ({ ctx }) => listReportSchedules({ ctx }),
  }, buildCtx);
  route(app, table, {
    method: 'GET', url: '/api/v1/report-schedules/:name', tag: 'reports', access: 'admin',
    summary: 'One scheduled report (admin).',
    handler: async ({ ctx, params }) => getReportSchedule({ ctx, input: { name: params.name } }),
  }, buildCtx);
  route(app, table, {
    method: 'PUT', url: '/api/v1/report-schedules/:name', tag: 'reports', access: 'admin', body: ScheduleBody,
    summary: 'Create or replace a scheduled report (admin): weekly or monthly, e-mailed (HTML, text, CSV attached) once per period that ends. Refused for one firebreak.yaml manages.',
    handler: async ({ ctx, params, body }) => setReportSchedule({ ctx, input: { ...body, name: params.name } }),
  }, buildCtx);
  route(app, table, {
    method: 'DELETE', url: '/api/v1/report-schedules/:name', tag: 'reports', access: 'admin', status: 204,
    summary: 'Delete a scheduled report and its record of sent periods (admin).',
    handler: async ({ ctx, params }) => deleteReportSchedule({ ctx, input: { name: params.name } }),
  }, buildCtx);
}
