/**
 * The typed client for /api/v1, built on openapi-fetch over the types generated from the
 * server's OpenAPI document (schema.d.ts, `npm run web:types`): a path, its parameters, its body
 * and its answer are checked against what the server declares. Browser sessions are an HttpOnly
 * cookie plus a CSRF token that every state-changing request must echo; the token lives only in
 * memory here. Every failure is an ApiError.
 */
import createClient, { type MaybeOptionalInit, type Middleware } from 'openapi-fetch';
import type { PathsWithMethod, RequiredKeysOf, SuccessResponseJSON } from 'openapi-typescript-helpers';
import type { paths } from './schema.js';

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly issues: FieldIssue[];

  constructor(status: number, body: { code?: string; message?: string; requestId?: string; issues?: FieldIssue[] } | null) {
    super(body?.message ?? (status === 0 ? 'cannot reach the server; check your connection' : `request failed with HTTP ${status}`));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? (status === 0 ? 'NETWORK' : 'HTTP');
    this.requestId = body?.requestId ?? null;
    this.issues = body?.issues ?? [];
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 so the app can send the user to sign in. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

const session: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept', 'application/json');
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

/** The openapi-fetch client itself; most code uses `api` below, which answers data or throws. */
export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use(session);

type Answer<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

/** The data of a successful answer; otherwise an ApiError (and, on 401, the sign-in handler unless `quiet401`). */
export async function call<T>(pending: Answer<T>, opts: { quiet401?: boolean } = {}): Promise<T> {
  let answer: Awaited<Answer<T>>;
  try {
    answer = await pending;
  } catch {
    throw new ApiError(0, null);
  }
  if (!answer.response.ok) {
    if (answer.response.status === 401 && !opts.quiet401) onUnauthorized?.();
    const body = answer.error && typeof answer.error === 'object' ? (answer.error as ConstructorParameters<typeof ApiError>[1]) : null;
    throw new ApiError(answer.response.status, body);
  }
  return answer.data as T;
}

// openapi-fetch's own argument typing (not exported by it): the init object is optional only when
// the operation needs no path parameters, query or body.
type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & { [key: string]: unknown })?] : [Init & { [key: string]: unknown }];
/** What a successful answer carries (undefined for 204 and for answers the server does not describe). */
type Data<P extends keyof paths, M extends keyof paths[P]> = SuccessResponseJSON<paths[P][M] & Record<string | number, unknown>>;

function method<M extends 'get' | 'post' | 'put' | 'patch' | 'delete'>(m: M) {
  const send = { get: client.GET, post: client.POST, put: client.PUT, patch: client.PATCH, delete: client.DELETE }[m] as (...args: unknown[]) => Answer<unknown>;
  return <P extends PathsWithMethod<paths, M>, I extends MaybeOptionalInit<paths[P], M>>(path: P, ...init: InitParam<I>): Promise<Data<P, M>> =>
    call(send(path, ...init) as Answer<Data<P, M>>);
}

/**
 * `api.get('/api/v1/incidents/{incident}', { params: { path: { incident: '42' } } })` answers the
 * generated `Incident` view; paths, parameters and bodies are those the server declares.
 */
export const api = {
  get: method('get'),
  post: method('post'),
  put: method('put'),
  patch: method('patch'),
  delete: method('delete'),
};

/** A path parameter from a number or string (incident numbers, ids). */
export const ref = (value: string | number): string => String(value);

/** A query string from the defined, non-empty values (for the UI's own URLs). */
export function query(params: Record<string, string | string[] | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    const value = Array.isArray(v) ? v.join(',') : v;
    if (value !== '') q.set(k, value);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The query parameters a GET path declares, for filters built from the page's own URL. */
export type QueryOf<P extends PathsWithMethod<paths, 'get'>> = NonNullable<paths[P]['get']['parameters']['query']>;

/** The JSON body an operation declares, for bodies the user writes as JSON (the server validates them). */
export type BodyOf<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
