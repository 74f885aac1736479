import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { parseInput } from '../core/validate.js';
import type { Permission } from '../domain/access/authorize.js';
import type { Ctx } from '../domain/context.js';
import { viewRegistry } from './views/registry.js';

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
   * What the handler answers (a view from src/http/views/): documented in OpenAPI, from which the
   * web client's types are generated. Never applied to answers in production; with
   * `checkResponses` (tests) an answer that does not match it exactly is a loud failure.
   */
  response?: z.ZodType;
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
  response?: z.ZodType;
  status: number;
}

export class RouteTable {
  readonly routes: RegisteredRoute[] = [];
  /** Answers that did not match their route's response schema (only with checkResponses). */
  readonly responseMismatches: string[] = [];
  /** Check every answer against its route's response schema (the test suite turns this on). */
  readonly options: { checkResponses?: boolean };
  constructor(options: { checkResponses?: boolean } = {}) {
    this.options = options;
  }
}

/** Where the JSON answer and what its schema makes of it first differ (a missing or extra field). */
function firstDifference(sent: unknown, parsed: unknown, path: string): string | null {
  if (isDeepStrictEqual(sent, parsed)) return null;
  if (sent && parsed && typeof sent === 'object' && typeof parsed === 'object') {
    const keys = new Set([...Object.keys(sent), ...Object.keys(parsed)]);
    for (const k of keys) {
      const a = (sent as Record<string, unknown>)[k];
      const b = (parsed as Record<string, unknown>)[k];
      if (!(k in (parsed as object))) return `${path}.${k}: sent but not in the response schema`;
      const d = firstDifference(a, b, `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: differs from what the response schema makes of it`;
}

/** Null when the answer is exactly what `schema` describes; else what is wrong, by field. */
export function responseMismatch(schema: z.ZodType, result: unknown): string | null {
  // What the client receives: JSON, so Dates are strings and undefined fields are absent.
  const sent: unknown = result === undefined ? undefined : JSON.parse(JSON.stringify(result));
  const parsed = schema.safeParse(sent);
  if (!parsed.success) return parsed.error.issues.map((i) => `${['$', ...i.path].join('.')}: ${i.message}`).join('; ');
  // Object schemas strip unknown keys, so a difference here is a field the schema does not name.
  return firstDifference(sent, parsed.data, '$');
}

/** Query strings carry lists as `a,b` or repeated keys; both arrive here as string arrays. */
export function queryList(value: unknown): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

export function route<B, Q>(app: FastifyInstance, table: RouteTable, spec: RouteSpec<B, Q>, buildCtx: (req: FastifyRequest) => Ctx): void {
  table.routes.push({ method: spec.method, url: spec.url, summary: spec.summary, tag: spec.tag, access: spec.access, body: spec.body, query: spec.query, response: spec.response, status: spec.status ?? 200 });
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
      if (spec.response && table.options.checkResponses && spec.status !== 204) {
        const problem = responseMismatch(spec.response, result);
        if (problem) {
          const message = `${spec.method} ${spec.url} answered outside its response schema: ${problem}`;
          table.responseMismatches.push(message);
          throw new Error(message);
        }
      }
      reply.code(spec.status ?? 200);
      return spec.status === 204 ? reply.send() : result;
    },
  });
}

/** OpenAPI 3.1 built from the route table, so the document cannot drift from the code. */
export function openApiDocument(table: RouteTable, info: { version: string; serverUrl: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const toJson = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  // Named views go to components.schemas once; each answer refers to them.
  const views: Record<string, unknown> = {};
  const responseJson = (schema: z.ZodType): unknown => {
    const { $defs, $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', metadata: viewRegistry }) as Record<string, unknown> & { $defs?: Record<string, unknown> };
    const moveRefs = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replaceAll('"#/$defs/', '"#/components/schemas/'));
    for (const [id, def] of Object.entries($defs ?? {})) views[id] ??= moveRefs(def);
    const own = viewRegistry.get(schema)?.id;
    if (own) {
      views[own] ??= moveRefs(rest);
      return { $ref: `#/components/schemas/${own}` };
    }
    return moveRefs(rest);
  };
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
        [String(r.status)]: r.response && r.status !== 204
          ? { description: 'Success', content: { 'application/json': { schema: responseJson(r.response) } } }
          : { description: r.status === 204 ? 'No content' : 'Success' },
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
        ...Object.fromEntries(Object.entries(views).sort(([a], [b]) => a.localeCompare(b))),
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
