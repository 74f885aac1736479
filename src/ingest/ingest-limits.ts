/**
 * What one integration may cost: a token bucket per integration on requests (checked once the
 * key is known, before the body is read where the key is outside it), and the storm guard's
 * threshold (applied by the alert-batch planner). Buckets live in this process's memory: with
 * several instances behind a balancer, each admits up to the limit (documented).
 */
export interface RateLimit {
  /** Sustained requests per second. */
  perSecond: number;
  /** Requests admitted at once after a quiet period. */
  burst: number;
}

export interface StormGuard {
  /** More new incidents than this within `withinMinutes` from one integration is a storm. */
  maxIncidents: number;
  withinMinutes: number;
}

/** Instance-wide defaults; an integration's own settings override them (null there: off). */
export interface IngestDefaults {
  rateLimit: RateLimit | null;
  storm: StormGuard | null;
}

export const DEFAULT_INGEST_DEFAULTS: IngestDefaults = {
  rateLimit: { perSecond: 100, burst: 1000 },
  storm: { maxIncidents: 20, withinMinutes: 1 },
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets for more integrations than this are dropped (each refills to full): memory stays bounded. */
const MAX_BUCKETS = 100_000;

export class IngestRateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  /** `now` in milliseconds, monotonic (the wall clock may step). */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Takes one request's token: 0 when admitted, else the seconds until one is available. O(1). */
  take(integrationId: string, limit: RateLimit): number {
    const now = this.#now();
    let bucket = this.#buckets.get(integrationId);
    if (!bucket) {
      if (this.#buckets.size >= MAX_BUCKETS) this.#buckets.clear();
      bucket = { tokens: limit.burst, at: now };
      this.#buckets.set(integrationId, bucket);
    } else {
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / limit.perSecond;
  }
}
