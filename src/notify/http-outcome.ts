import type { HttpResponse } from './http-transport.js';
import { OutboundRefused } from './ssrf.js';
import type { SendOutcome } from './message.js';

/** `Retry-After` as seconds or an HTTP date → ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Standard Webhooks delivery rules: only 2xx succeeds; redirects are failures (never followed);
 * 410 disables the destination; 408, 425, 429 and 5xx are retried, honouring Retry-After; other
 * 4xx mean the request itself is wrong, so retrying would not help.
 */
export function outcomeOfResponse(res: HttpResponse, now: number, describe: (res: HttpResponse) => string = (r) => `HTTP ${r.status}`): SendOutcome {
  if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, latencyMs: res.latencyMs };
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now);
  const retryable = res.status >= 500 || res.status === 408 || res.status === 425 || res.status === 429 || (res.status >= 300 && res.status < 400);
  return {
    ok: false,
    retryable,
    status: res.status,
    retryAfterMs,
    error: res.status >= 300 && res.status < 400 ? `HTTP ${res.status} redirect (redirects are not followed)` : describe(res),
    latencyMs: res.latencyMs,
    disable: res.status === 410,
  };
}

/** A refusal or a network failure before any answer. */
export function outcomeOfError(error: unknown, latencyMs: number): SendOutcome {
  if (error instanceof OutboundRefused) return { ok: false, retryable: false, status: null, retryAfterMs: null, error: error.message, latencyMs };
  const e = error as { code?: string; message?: string };
  return { ok: false, retryable: true, status: null, retryAfterMs: null, error: e.code ? `${e.code}: ${e.message ?? ''}`.slice(0, 300) : String(e.message ?? error).slice(0, 300), latencyMs };
}
