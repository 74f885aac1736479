import { createHash } from 'node:crypto';

/**
 * A per-instance cache of rendered public answers: on an outage day thousands of readers ask
 * for the same page each second, and every one of them within `ttlMs` gets the bytes the first
 * one made (concurrent misses share one computation). Writes through this instance's API clear
 * it at once; other instances catch up within `ttlMs`.
 */
export interface CachedAnswer {
  status: number;
  type: string;
  body: string;
}

/** An answer as it goes on the wire: its bytes and strong ETag made once per cache window. */
export interface ReadyAnswer extends CachedAnswer {
  bytes: Buffer;
  etag: string;
}

function ready(a: CachedAnswer): ReadyAnswer {
  const bytes = Buffer.from(a.body, 'utf8');
  return { ...a, bytes, etag: `"${createHash('sha1').update(bytes).digest('base64url')}"` };
}

export class PublicCache {
  private readonly entries = new Map<string, { at: number; answer: Promise<ReadyAnswer>; ready?: ReadyAnswer }>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  constructor(ttlMs = 1500, now: () => number = () => performance.now()) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  get(key: string, compute: () => Promise<CachedAnswer>): Promise<ReadyAnswer> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < this.ttlMs) return hit.answer;
    const answer = compute().then(ready);
    const entry: { at: number; answer: Promise<ReadyAnswer>; ready?: ReadyAnswer } = { at: t, answer };
    this.entries.set(key, entry);
    // A failure is not remembered: the next reader tries again.
    answer.then((a) => { entry.ready = a; }, () => { if (this.entries.get(key)?.answer === answer) this.entries.delete(key); });
    if (this.entries.size > 1000) this.entries.delete(this.entries.keys().next().value!);
    return answer;
  }

  /** A fresh, computed answer without waiting (the serving fast path), or undefined. */
  peek(key: string): ReadyAnswer | undefined {
    const hit = this.entries.get(key);
    return hit?.ready && this.now() - hit.at < this.ttlMs ? hit.ready : undefined;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Host name → page slug for custom domains, read synchronously while a request's URL is
 * rewritten (before routing) and refreshed in the background when older than `ttlMs`.
 */
export class PublicHosts {
  private map = new Map<string, string>();
  private at = -Infinity;
  private refreshing: Promise<void> | null = null;
  private readonly load: () => Promise<Map<string, string>>;
  private readonly ttlMs: number;
  private readonly onError: (e: unknown) => void;
  constructor(load: () => Promise<Map<string, string>>, ttlMs = 2000, onError: (e: unknown) => void = () => {}) {
    this.load = load;
    this.ttlMs = ttlMs;
    this.onError = onError;
  }

  lookup(host: string): string | undefined {
    if (performance.now() - this.at > this.ttlMs) void this.refresh().catch(this.onError);
    return this.map.get(host);
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.load().then((m) => { this.map = m; this.at = performance.now(); }).finally(() => { this.refreshing = null; });
    return this.refreshing;
  }
}

/** Paths a custom host serves from its page (everything else, e.g. /api/v2/alerts, is left alone). */
export function isPublicPagePath(path: string): boolean {
  return path === '/' || path === '/history.rss' || path === '/history.atom' || path === '/subscribe' || path === '/subscribe/confirm' || path === '/unsubscribe' || /^\/api\/v2\/(summary|status|components|incidents|incidents\/unresolved|scheduled-maintenances|scheduled-maintenances\/(upcoming|active))\.json$/.test(path);
}
