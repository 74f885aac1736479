import { AppError, type ErrorCode, type FieldIssue } from '../core/errors.js';

/** Options every server-talking command accepts; flags win over the environment. */
export interface ConnectionOptions {
  url?: string;
  apiKey?: string;
  timeout?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';
const DEFAULT_TIMEOUT_SECONDS = 30;

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'VALIDATION', 'NOT_FOUND', 'CONFLICT', 'UNAUTHORIZED', 'FORBIDDEN', 'LIMIT_EXCEEDED', 'PAYLOAD_TOO_LARGE', 'PRECONDITION_FAILED', 'UNAVAILABLE', 'INTERNAL',
]);

/** For answers that are not our JSON error body (a proxy in between, an old server). */
function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'VALIDATION';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 412) return 'PRECONDITION_FAILED';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'LIMIT_EXCEEDED';
  if (status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  return status >= 400 && status < 500 ? 'VALIDATION' : 'INTERNAL';
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

/**
 * A thin client for the REST API over built-in `fetch`. Failures come back as the server's own
 * AppError code, so `exit-codes.ts` gives the same exit code whether a check failed locally or
 * on the server.
 */
export class FirebreakClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: { baseUrl: string; apiKey?: string; timeoutMs?: number }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path, {});
  }

  async request<T>(method: string, path: string, options: { query?: Query; body?: unknown }): Promise<T> {
    if (!this.#apiKey) {
      throw new AppError(
        'UNAUTHORIZED',
        'no API key: pass --api-key or set FIREBREAK_API_KEY (on the server host, make the first one with `firebreak apikey create --local --name ops`)',
      );
    }
    const url = this.#url(path, options.query);
    const headers: Record<string, string> = { authorization: `Bearer ${this.#apiKey}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw this.#networkError(error);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw errorFromResponse(response.status, text, response.headers.get('retry-after'));
    if (response.status === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new AppError('INTERNAL', `${this.baseUrl} answered ${method} ${path} with something that is not JSON; is --url pointing at Firebreak?`);
    }
  }

  #url(path: string, query: Query | undefined): URL {
    let url: URL;
    try {
      url = new URL(this.baseUrl + path);
    } catch {
      throw new AppError('VALIDATION', `url: '${this.baseUrl}' is not a valid URL (expected e.g. ${DEFAULT_URL})`, { issues: [{ field: 'url', message: 'is not a valid URL' }] });
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === false) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return url;
  }

  #networkError(error: unknown): AppError {
    const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return new AppError('UNAVAILABLE', `no answer from Firebreak at ${this.baseUrl} within ${this.#timeoutMs / 1000}s`, { cause: error });
    }
    const reason = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
    return new AppError('UNAVAILABLE', `cannot reach Firebreak at ${this.baseUrl} (${reason}); is the server running? Set --url or FIREBREAK_URL`, { cause: error });
  }
}

/** Turns a non-2xx answer back into the AppError the server raised. */
export function errorFromResponse(status: number, text: string, retryAfter: string | null = null): AppError {
  let body: { code?: unknown; message?: unknown; requestId?: unknown; issues?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not our error body; fall back to the status.
  }
  const code = typeof body.code === 'string' && ERROR_CODES.has(body.code) ? (body.code as ErrorCode) : codeForStatus(status);
  let message = typeof body.message === 'string' ? body.message : `server answered HTTP ${status}`;
  // An internal error carries only the request id; the operator needs it to find the log line.
  if (code === 'INTERNAL' && typeof body.requestId === 'string') message += ` (request ${body.requestId})`;
  const issues = Array.isArray(body.issues) ? (body.issues as FieldIssue[]).filter((i) => typeof i?.field === 'string') : [];
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return new AppError(code, message, { issues, retryAfterSeconds: seconds });
}

/** Builds a client from `--url`/`--api-key`/`--timeout`, falling back to FIREBREAK_URL and FIREBREAK_API_KEY. */
export function clientFrom(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): FirebreakClient {
  const timeout = options.timeout ?? env.FIREBREAK_TIMEOUT;
  let timeoutMs: number | undefined;
  if (timeout !== undefined && timeout !== '') {
    const seconds = Number(timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new AppError('VALIDATION', `timeout: '${timeout}' is not a positive number of seconds`, { issues: [{ field: 'timeout', message: 'must be a positive number of seconds' }] });
    timeoutMs = seconds * 1000;
  }
  return new FirebreakClient({
    baseUrl: options.url || env.FIREBREAK_URL || DEFAULT_URL,
    apiKey: options.apiKey || env.FIREBREAK_API_KEY || undefined,
    timeoutMs,
  });
}
