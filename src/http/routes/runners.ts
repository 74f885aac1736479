import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../domain/context.js';
import { appendJobOutput, claimRunnerJob, createRunner, finishRunnerJob, listRunners, registerRunner, updateRunner } from '../../domain/runbooks/index.js';
import { route, type RouteTable } from '../route.js';

const RULE = z.union([z.string(), z.object({ type: z.enum(['prefix', 'regex']), value: z.string() })]);
const CreateBody = z.object({ name: z.string(), allow: z.array(RULE).optional() });
const UpdateBody = z.object({ allow: z.array(RULE).optional(), disabled: z.boolean().optional() });
// Runner bodies are only described here (all optional): the verbs check the token before the input.
const RegisterBody = z.object({ allow: z.array(z.object({ type: z.enum(['prefix', 'regex']), value: z.string() })).optional(), version: z.string().optional(), hostname: z.string().optional() }).partial();
const OutputBody = z.object({ chunk: z.string() }).partial();
const FinishBody = z.object({ exitCode: z.number().nullable().optional(), timedOut: z.boolean().optional(), truncated: z.boolean().optional(), refused: z.boolean().optional(), reason: z.string().optional() }).partial();

/** How long one poll may wait for a job; under common proxy idle timeouts (60 s). */
const MAX_WAIT_SECONDS = 30;
const POLL_INTERVAL_MS = 250;

const runnerToken = (req: FastifyRequest): string | undefined => {
  const value = req.headers['x-runner-token'];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Runner management (admins, with API keys or sessions) and the runner protocol. Runner
 * endpoints are `public` in the route table because runners are not users: each handler
 * authenticates the `X-Runner-Token` header itself and answers 401 without it.
 */
export function registerRunnerRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);

  r({
    method: 'POST', url: '/api/v1/runners', noStore: true, tag: 'runners', access: 'admin', status: 201, body: CreateBody,
    summary: 'Register a runner with its server-side allow-list (command prefixes, or `regex:` rules); the token is shown once.',
    handler: async ({ ctx, body }) => createRunner({ ctx, input: body }),
  });
  r({
    method: 'GET', url: '/api/v1/runners', tag: 'runners', access: 'admin',
    summary: 'Runners with their allow-lists (set and reported) and when they were last seen.',
    handler: async ({ ctx }) => listRunners({ ctx }),
  });
  r({
    method: 'PATCH', url: '/api/v1/runners/:runner', tag: 'runners', access: 'admin', body: UpdateBody,
    summary: 'Change a runner’s allow-list or disable it.',
    handler: async ({ ctx, params, body }) => updateRunner({ ctx, input: { ...body, runner: params.runner } }),
  });
  r({
    method: 'POST', url: '/api/v1/runner/register', tag: 'runner protocol', access: 'public', body: RegisterBody,
    summary: 'A runner announces itself (X-Runner-Token) and reports its local allow-list.',
    handler: async ({ ctx, body, raw }) => registerRunner({ ctx, token: runnerToken(raw), input: body }),
  });
  r({
    method: 'GET', url: '/api/v1/runner/jobs', noStore: true, tag: 'runner protocol', access: 'public',
    query: z.object({ wait: z.string().regex(/^\d{1,3}$/, 'must be whole seconds').optional() }),
    summary: 'Long-poll for the next approved job of this runner (X-Runner-Token); `{"job": null}` when none arrived within `wait` seconds.',
    handler: async ({ ctx, query, raw }) => {
      const token = runnerToken(raw);
      const deadline = Date.now() + Math.min(Number(query.wait ?? 0), MAX_WAIT_SECONDS) * 1000;
      let closed = false;
      raw.raw.once('close', () => (closed = true));
      for (let first = true; ; first = false) {
        const job = await claimRunnerJob({ ctx, token, touch: first });
        if (job || closed || Date.now() >= deadline) return { job };
        await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      }
    },
  });
  r({
    method: 'POST', url: '/api/v1/runner/jobs/:job/output', tag: 'runner protocol', access: 'public', body: OutputBody,
    summary: 'Append a piece of a running job’s output; it is capped and shown on the incident timeline.',
    handler: async ({ ctx, params, body, raw }) => appendJobOutput({ ctx, token: runnerToken(raw), input: { ...body, job: params.job } }),
  });
  r({
    method: 'POST', url: '/api/v1/runner/jobs/:job/finish', tag: 'runner protocol', access: 'public', body: FinishBody,
    summary: 'Report how a job ended: exit code, timeout, truncation, or refusal by the runner’s own allow-list.',
    handler: async ({ ctx, params, body, raw }) => finishRunnerJob({ ctx, token: runnerToken(raw), input: { ...body, job: params.job } }),
  });
}
