import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { applyImportPlan, exportImportPlanYaml, planRunbookImport } from '../../domain/runbooks/index.js';
import { route, type RouteTable } from '../route.js';
import { AppliedPlan, ProcessPlan } from '../views/runbook-library.js';

const PlanBody = z.object({
  markdown: z.string(),
  sourceName: z.string().optional(),
  map: z.record(z.string(), z.string()).optional(),
});
const SelectBody = PlanBody.extend({ select: z.array(z.string()).optional() });

/** The process a runbook document describes (severities, escalation, checklists, templates) as a reviewed plan. */
export function registerRunbookPlanRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'POST', url: '/api/v1/runbooks/import/plan', tag: 'runbooks', access: 'admin', body: PlanBody,
    response: ProcessPlan,
    summary: 'The process a document describes (severity ladder, escalation policies, checklist templates, update and post-mortem templates) compared with the database, like `terraform plan`: each object is add, change (with field diffs), unchanged, or blocked (managed by firebreak.yaml). People are placeholders (`placeholders`) to map (`map: {"Team lead": "team:platform"}`) before applying. Writes nothing.',
    handler: async ({ ctx, body }) => planRunbookImport({ ctx, input: body }),
  });
  r({
    method: 'POST', url: '/api/v1/runbooks/import/apply', tag: 'runbooks', access: 'admin', body: SelectBody,
    response: AppliedPlan,
    summary: 'Apply a document\'s plan, whole or the `select`ed entry ids, in one transaction with one audit entry (`runbook.plan_applied`). Every placeholder a selected object pages must be mapped in `map` (or by an earlier apply of the same document), else 400 naming it. Objects are ordinary (editable) objects; nothing is removed.',
    handler: async ({ ctx, body }) => applyImportPlan({ ctx, input: body }),
  });
  r({
    method: 'POST', url: '/api/v1/runbooks/import/yaml', tag: 'runbooks', access: 'admin', body: SelectBody,
    summary: 'The plan (or the `select`ed entries) as a firebreak.yaml fragment; unmapped people stay `placeholder:NAME`.',
    handler: async ({ ctx, body }) => exportImportPlanYaml({ ctx, input: body }),
  });
}
