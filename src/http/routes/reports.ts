import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { getIncidentReport } from '../../domain/metrics/get-incident-report.js';
import { queryList, route, type RouteTable } from '../route.js';

const ReportQuery = z.object({
  from: z.string().optional().describe('ISO 8601 time or date, or epoch ms; incidents detected at or after (default: 30 days before to)'),
  to: z.string().optional().describe('ISO 8601 time or date, or epoch ms; detected before (default: now)'),
  service: z.string().optional().describe('service slug or id'),
  team: z.string().optional().describe('team slug or id (the team owning the service)'),
  severity: z.union([z.string(), z.array(z.string())]).optional().describe('comma-separated severity keys'),
  bucket: z.string().optional().describe('trend bucket: week (default) or month'),
});

const timeParam = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v);

export function registerReportRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  route(app, table, {
    method: 'GET', url: '/api/v1/reports/incidents', tag: 'reports', access: 'read', query: ReportQuery,
    summary: 'Incident metrics for a range: TTD/TTA/TTM/TTR distributions per severity, service and team, trend, MTBF, targets met, drills apart, on-call load; each figure with its definition.',
    handler: async ({ ctx, query }) =>
      getIncidentReport({
        ctx,
        input: { from: timeParam(query.from), to: timeParam(query.to), service: query.service, team: query.team, severity: queryList(query.severity), bucket: query.bucket },
      }),
  }, buildCtx);
}
