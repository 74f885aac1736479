/**
 * Capped exponential backoff with jitter. "Equal jitter": half the delay is fixed, half random,
 * so retries of many deliveries that failed together spread out but never fire at once.
 */
export function backoffMs(attempt: number, options: { baseMs: number; capMs: number; random?: () => number }): number {
  const exp = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const r = (options.random ?? Math.random)();
  return Math.round(exp / 2 + r * (exp / 2));
}

/** The wait before the next attempt: the backoff, or the receiver's Retry-After if longer (capped at an hour). */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, options: { baseMs: number; capMs: number; random?: () => number }): number {
  const base = backoffMs(attempt, options);
  return retryAfterMs === null ? base : Math.max(base, Math.min(retryAfterMs, 3_600_000));
}
