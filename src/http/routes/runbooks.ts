import { parseIngest } from '../../ingest/registry.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import {
  approveRunnerJob, attachRunbook, changeStepState, chooseRunPath, drillReport, getRunbook, importRunbooks, lintRunbookSource, listRunbookRuns,
  listRunbooks, listRunnerJobs, requestStepExecution, setRunValues, startDrill, STEP_ACTIONS,
} from '../../domain/runbooks/index.js';
import { route, type RouteTable } from '../route.js';
import { ImportOutcome, RunbookDetail, RunbookSummaryList } from '../views/runbook-library.js';
import { RunbookRun, RunbookRunList, RunnerJob, RunnerJobList } from '../views/runbooks.js';

const ImportBody = z.object({ markdown: z.string(), sourceName: z.string().optional(), dryRun: z.boolean().optional() });
const LintBody = z.object({ markdown: z.string().optional(), runbook: z.string().optional(), sourceName: z.string().optional() });
const AttachBody = z.object({ runbook: z.string().optional(), q: z.string().optional() });
const StepBody = z.object({ action: z.enum(STEP_ACTIONS), reason: z.string().optional() });
const PathBody = z.object({ set: z.number(), option: z.number().nullable() });
const ValuesBody = z.object({ values: z.record(z.string(), z.union([z.string(), z.object({ value: z.string(), secret: z.boolean().optional() })]).nullable()) });
const ExecuteBody = z.object({ runner: z.string().optional(), timeoutSeconds: z.number().optional() });
const DrillBody = z.object({ runbook: z.string(), participants: z.array(z.string()), severity: z.string().optional(), service: z.string().optional() });

const stepParam = (value: string | undefined): number | string => (value !== undefined && /^\d{1,4}$/.test(value) ? Number(value) : (value ?? ''));

export function registerRunbookRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);

  r({
    method: 'POST', url: '/api/v1/runbooks/import', tag: 'runbooks', access: 'admin', body: ImportBody,
    response: ImportOutcome,
    summary: 'Import a Markdown document: creates or updates runbooks by slug (a new version only when the content changed) and returns the import report (recognised counts, every section with its line and what it was read as, regions kept as Markdown with the reason, warnings, lint). A slug another document holds is never replaced: the runbook is namespaced `<document>--<slug>`. `dryRun` writes nothing.',
    handler: async ({ ctx, body }) => importRunbooks({ ctx, input: body }),
  });
  r({
    method: 'POST', url: '/api/v1/runbooks/lint', tag: 'runbooks', access: 'read', body: LintBody,
    summary: 'Lint Markdown (not stored) or a stored runbook: no verification step, no target, overdue review, unwarned destructive steps.',
    handler: async ({ ctx, body }) => lintRunbookSource({ ctx, input: body }),
  });
  r({
    method: 'GET', url: '/api/v1/runbooks', tag: 'runbooks', access: 'read',
    response: RunbookSummaryList,
    query: z.object({ q: z.string().optional(), service: z.string().optional(), limit: z.string().regex(/^\d+$/).optional() }),
    summary: 'The runbook library; `q` searches slug, title and summary.',
    handler: async ({ ctx, query }) => listRunbooks({ ctx, input: { q: query.q, service: query.service, limit: query.limit ? Number(query.limit) : undefined } }),
  });
  r({
    method: 'GET', url: '/api/v1/runbooks/:runbook', tag: 'runbooks', access: 'read',
    response: RunbookDetail,
    query: z.object({ version: z.string().regex(/^\d+$/, 'must be a version number').optional() }),
    summary: 'One runbook by slug or id: current (or `version`) source and structure, versions, matchers, lint, incidents that used it.',
    handler: async ({ ctx, params, query }) => getRunbook({ ctx, input: { runbook: params.runbook, version: query.version ? Number(query.version) : undefined } }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/runbook-runs', tag: 'runbooks', access: 'read',
    response: RunbookRunList,
    summary: 'The runbooks this incident follows: filled-in steps with their state, progress and targets.',
    handler: async ({ ctx, params }) => listRunbookRuns({ ctx, input: { incident: params.incident } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/runbook-runs', tag: 'runbooks', access: 'respond', status: 201, body: AttachBody,
    response: RunbookRun,
    summary: 'Attach a runbook by slug/id (`runbook`) or by a search that finds one (`q`).',
    handler: async ({ ctx, params, body }) => attachRunbook({ ctx, input: { ...body, incident: params.incident } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/runbook-runs/:run/steps/:step', tag: 'runbooks', access: 'respond', body: StepBody,
    response: RunbookRun,
    summary: 'Start, complete, skip (reason required) or fail step `step` (0-based); each is a timeline event.',
    handler: async ({ ctx, params, body }) => changeStepState({ ctx, input: { ...body, incident: params.incident, run: params.run, step: stepParam(params.step) } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/runbook-runs/:run/paths', tag: 'runbooks', access: 'respond', body: PathBody,
    response: RunbookRun,
    summary: 'Choose which alternative path of the runbook this incident follows (`set` and `option` from the run\'s `paths`; `option: null` clears): progress counts that path only. A timeline event.',
    handler: async ({ ctx, params, body }) => chooseRunPath({ ctx, input: { ...body, incident: params.incident, run: params.run } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/runbook-runs/:run/values', tag: 'runbooks', access: 'respond', body: ValuesBody,
    response: RunbookRun,
    summary: 'Give values for placeholders the alert and incident could not fill (`{"values": {"pod-name": "api-7f9c"}}`); null clears. `{"value": "…", "secret": true}` marks one secret; names like `*_TOKEN`, `*_KEY`, `PASSWORD` always are: masked in every answer and the timeline.',
    handler: async ({ ctx, params, body }) => setRunValues({ ctx, input: { ...body, incident: params.incident, run: params.run } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/runbook-runs/:run/steps/:step/execute', tag: 'runners', access: 'respond', status: 201, body: ExecuteBody,
    response: RunnerJob,
    summary: 'Ask a runner to execute a command step. Refused (status `refused`) unless a runner’s allow-list permits it; a dangerous step waits for a second person’s approval.',
    handler: async ({ ctx, params, body }) => requestStepExecution({ ctx, input: { ...body, incident: params.incident, run: params.run, step: stepParam(params.step) } }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/runner-jobs', tag: 'runners', access: 'read',
    response: RunnerJobList,
    summary: 'Runner jobs of this incident, with status, approvals and (capped) output.',
    handler: async ({ ctx, params }) => listRunnerJobs({ ctx, input: { incident: params.incident } }),
  });
  r({
    method: 'POST', url: '/api/v1/incidents/:incident/runner-jobs/:job/approve', tag: 'runners', access: 'respond',
    response: RunnerJob,
    summary: 'Approve a dangerous step’s job; the approver must be someone other than the requester.',
    handler: async ({ ctx, params }) => approveRunnerJob({ ctx, input: { incident: params.incident, job: params.job } }),
  });
  r({
    method: 'POST', url: '/api/v1/drills', tag: 'drills', access: 'respond', status: 201, body: DrillBody,
    summary: 'Start a drill: a synthetic `[DRILL]` alert for the runbook goes through the real ingest, routing and paging path (silences do not apply), opening an `isDrill` incident that pages only the chosen participants. 409 when a routing rule drops it.',
    handler: async ({ ctx, body }) => startDrill({ ctx, input: body, parseAlert: parseIngest }),
  });
  r({
    method: 'GET', url: '/api/v1/incidents/:incident/drill-report', tag: 'drills', access: 'read',
    summary: 'Score a drill: time to acknowledge, per step and to mitigate against the runbook’s targets.',
    handler: async ({ ctx, params }) => drillReport({ ctx, input: { incident: params.incident } }),
  });
}
