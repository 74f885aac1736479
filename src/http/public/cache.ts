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

interface Entry {
  at: number;
  answer: Promise<ReadyAnswer>;
  ready?: ReadyAnswer;
  /** The answer an expired entry is being replaced with, computed by the reader that found it expired. */
  next?: Promise<ReadyAnswer>;
}

export class PublicCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly staleMs: number;
  private readonly now: () => number;
  /**
   * An answer is fresh for `ttlMs`. The first reader after that has the next one computed and
   * waits for it, so whoever asks after a change made elsewhere sees it within `ttlMs`; readers
   * arriving while it is computed get the previous answer from the fast path at once (up to
   * `staleMs` old) instead of queueing behind the computation: on an outage day the herd never
   * waits for the page to be rebuilt.
   */
  constructor(ttlMs = 1500, now: () => number = () => performance.now(), staleMs = ttlMs * 3) {
    this.ttlMs = ttlMs;
    this.staleMs = Math.max(staleMs, ttlMs);
    this.now = now;
  }

  get(key: string, compute: () => Promise<CachedAnswer>): Promise<ReadyAnswer> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < this.ttlMs) return hit.answer;
    if (hit?.next) return hit.next;
    const answer = compute().then(ready);
    const entry: Entry = { at: t, answer };
    if (hit?.ready) {
      // The expired answer stays in place (served by peek) until this one is ready.
      hit.next = answer;
      answer.then((a) => {
        entry.ready = a;
        if (this.entries.get(key) === hit) this.entries.set(key, entry);
      }, () => {
        if (this.entries.get(key) === hit) delete hit.next;
      });
      return answer;
    }
    this.entries.set(key, entry);
    // A failure is not remembered: the next reader tries again.
    answer.then((a) => { entry.ready = a; }, () => { if (this.entries.get(key)?.answer === answer) this.entries.delete(key); });
    if (this.entries.size > 1000) this.entries.delete(this.entries.keys().next().value!);
    return answer;
  }

  /**
   * An answer to serve now without waiting (the serving fast path): a fresh one, or the previous
   * one while its successor is being computed; undefined otherwise (the route computes it).
   */
  peek(key: string): ReadyAnswer | undefined {
    const hit = this.entries.get(key);
    if (!hit?.ready) return undefined;
    const age = this.now() - hit.at;
    if (age < this.ttlMs || (hit.next && age < this.staleMs)) return hit.ready;
    return undefined;
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
