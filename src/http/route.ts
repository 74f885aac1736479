import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { parseInput } from '../core/validate.js';
import type { Permission } from '../domain/access/authorize.js';
import type { Ctx } from '../domain/context.js';

/**
 * Every API route is declared through `route()`: its access class, input schemas and summary
 * feed both the OpenAPI document and the test that checks no route is left unauthenticated.
 */
export type Access = 'public' | Permission;

export interface RouteRequest<B, Q> {
  ctx: Ctx;
  params: Record<string, string>;
  query: Q;
  body: B;
  raw: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<B = unknown, Q = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  access: Access;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** Status on success; 204 sends no body. */
  status?: number;
  /**
   * The answer carries a secret (a new key or token, a feed URL, a CSRF token): sent with
   * `Cache-Control: no-store`, so no browser, proxy or CDN cache keeps a copy.
   */
  noStore?: boolean;
  handler: (req: RouteRequest<B, Q>) => Promise<unknown>;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  summary: string;
  tag: string;
  access: Access;
  body?: z.ZodType;
  query?: z.ZodType;
  status: number;
}

export class RouteTable {
  readonly routes: RegisteredRoute[] = [];
}

/** Query strings carry lists as `a,b` or repeated keys; both arrive here as string arrays. */
export function queryList(value: unknown): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

export function route<B, Q>(app: FastifyInstance, table: RouteTable, spec: RouteSpec<B, Q>, buildCtx: (req: FastifyRequest) => Ctx): void {
  table.routes.push({ method: spec.method, url: spec.url, summary: spec.summary, tag: spec.tag, access: spec.access, body: spec.body, query: spec.query, status: spec.status ?? 200 });
  app.route({
    method: spec.method,
    url: spec.url,
    handler: async (req, reply) => {
      // Before anything that can throw, so an error answer carries it as well.
      if (spec.noStore) reply.header('cache-control', 'no-store');
      const ctx = buildCtx(req);
      if (spec.access !== 'public' && ctx.actor.type === 'system') {
        throw new AppError('UNAUTHORIZED', 'sign in, or send an API key as "Authorization: Bearer fbk_…"');
      }
      const body = spec.body ? parseInput(spec.body, req.body ?? {}) : (req.body as B);
      const query = spec.query ? parseInput(spec.query, req.query ?? {}, 'query') : (req.query as Q);
      const result = await spec.handler({ ctx, params: req.params as Record<string, string>, query, body, raw: req, reply });
      if (reply.sent) return reply;
      reply.code(spec.status ?? 200);
      return spec.status === 204 ? reply.send() : result;
    },
  });
}

/** OpenAPI 3.1 built from the route table, so the document cannot drift from the code. */
export function openApiDocument(table: RouteTable, info: { version: string; serverUrl: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const toJson = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  for (const r of table.routes) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const queryParams: unknown[] = [];
    if (r.query) {
      const js = toJson(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(js.properties ?? {})) {
        queryParams.push({ name, in: 'query', required: js.required?.includes(name) ?? false, schema });
      }
    }
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').split('/').map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('').replace(/[^A-Za-z0-9]/g, '')}`,
      security: r.access === 'public' ? [] : [{ bearer: [] }, { session: [] }],
      'x-firebreak-access': r.access,
      parameters: [...params, ...queryParams],
      responses: {
        [String(r.status)]: { description: r.status === 204 ? 'No content' : 'Success' },
        '4XX': { description: 'Client error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: toJson(r.body, 'input') } } };
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Firebreak API', version: info.version, description: 'Incident response: incidents, timeline, roles, tasks, keys. Errors are `{code, message, requestId}`.' },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (`fbk_…`), also accepted as `X-Api-Key`.' },
        session: { type: 'apiKey', in: 'cookie', name: 'firebreak_session', description: 'Browser session; state changes also need the `X-CSRF-Token` header.' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message', 'requestId'],
          properties: {
            code: { type: 'string', enum: ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'UNAUTHORIZED', 'FORBIDDEN', 'LIMIT_EXCEEDED', 'PAYLOAD_TOO_LARGE', 'PRECONDITION_FAILED', 'UNAVAILABLE', 'INTERNAL'] },
            message: { type: 'string' },
            requestId: { type: 'string' },
            issues: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
