import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/index.js';
import { AppError, type ErrorCode } from '../core/errors.js';

/** The one place an error becomes an HTTP status and body. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  PRECONDITION_FAILED: 412,
  LIMIT_EXCEEDED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** What a client is told to wait when the database is unavailable. */
export const STORE_RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  requestId: string;
  issues?: { field: string; message: string }[];
}

/**
 * Errors Fastify raises itself (bad JSON, body too large, wrong content type) become AppErrors,
 * and so does the database being unavailable (`storeUnavailable`: the store's
 * `health.reportFailure`, which also records it for `/health` and logs it once per interval):
 * a full disk, an I/O error, a failed WAL fsync, a lost or timed-out connection answer 503 with
 * `Retry-After` on every route.
 * With `isUniqueViolation` (the API, not ingest: a sender must retry, never drop), a unique
 * violation no verb turned into its own CONFLICT is one still: two requests wrote the same key
 * at once, and the loser is told so instead of a 500.
 */
export function normaliseError(error: unknown, storeUnavailable: (e: unknown) => boolean, isUniqueViolation?: (e: unknown) => boolean): AppError | null {
  if (error instanceof AppError) return error;
  const fe = error as Partial<FastifyError> | null;
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    if (fe.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large');
    if (fe.statusCode === 415) return new AppError('VALIDATION', `body: ${fe.message ?? 'unsupported content type'}`, { issues: [{ field: 'body', message: 'unsupported content type; send application/json' }] });
    const message = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(fe.message ?? '') ? 'body is not valid JSON' : (fe.message ?? 'bad request');
    return new AppError('VALIDATION', `body: ${message}`, { issues: [{ field: 'body', message }] });
  }
  if (storeUnavailable(error)) {
    return new AppError('UNAVAILABLE', 'the database is unavailable; retry shortly', { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS, cause: error });
  }
  if (isUniqueViolation?.(error)) {
    return new AppError('CONFLICT', 'another request wrote the same thing at the same moment; reload and retry', { cause: error });
  }
  return null;
}

export function toHttp(error: AppError, requestId: string): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.ceil(error.retryAfterSeconds));
  const body: ErrorBody = { code: error.code, message: error.message, requestId };
  if (error.issues.length) body.issues = error.issues;
  return { status: STATUS_BY_CODE[error.code], body, headers };
}

/**
 * Fastify's error handler for a server over `store`: an AppError (or what normaliseError makes
 * one) is answered as toHttp says; anything else is logged with the request id and answered 500.
 */
export function errorHandler(deps: { store: Store; log: Logger }) {
  return (error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const appError = normaliseError(error, (e) => deps.store.health.reportFailure(e), (e) => deps.store.dialect.isUniqueViolation(e));
    if (!appError) {
      deps.log.error('http', 'unhandled error', { requestId: req.id, route: req.routeOptions.url, error: (error as Error).stack ?? String(error) });
      return reply.code(500).send({ code: 'INTERNAL', message: 'internal error; quote the request id when reporting it', requestId: req.id });
    }
    const { status, body, headers } = toHttp(appError, req.id);
    return reply.code(status).headers(headers).send(body);
  };
}
