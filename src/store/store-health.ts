import { sql, type Kysely } from 'kysely';
import type { Logger } from '../core/logger.js';
import type { Database } from './schema.js';

export interface StoreCheck {
  ok: boolean;
  detail: string;
}

export interface StoreHealthOptions {
  db: Kysely<Database>;
  dialect: string;
  /** The dialect's test for "the database is unavailable or overloaded, worth a retry". */
  isTransient(error: unknown): boolean;
  log: Logger;
  /** A failure that goes on is logged again at most this often. */
  logIntervalMs?: number;
  /** `/health` reuses a check this long, so health checks under load do not hammer the database. */
  cacheMs?: number;
  /** While failing, the check tries a write of its own only when no call has failed for this long. */
  probeWriteAfterMs?: number;
  /** A check that takes longer than this reports the database as not answering. */
  probeTimeoutMs?: number;
  now?: () => number;
}

interface Failing {
  since: number;
  lastAt: number;
  count: number;
  cause: string;
  code: string | null;
  loggedAt: number;
  loggedCount: number;
}

const WRITE_PROBE = 'store-write-probe';

/**
 * What the instance knows about its database: whether calls are failing because it is
 * unavailable (a full disk, an I/O error, a failed WAL fsync, a lost connection) and since when.
 * Callers that turn such a failure into a retryable answer report it here instead of logging it
 * themselves, so a failing disk is one log line per interval with its real cause, not one per
 * request. `/health` reads it, together with a cheap query bounded in time.
 */
export class StoreHealth {
  readonly #o: Required<Omit<StoreHealthOptions, 'now'>> & { now: () => number };
  readonly #seen = new WeakSet<object>();
  #failing: Failing | null = null;
  #cached: { at: number; check: StoreCheck } | null = null;
  #running: Promise<StoreCheck> | null = null;

  constructor(options: StoreHealthOptions) {
    this.#o = { logIntervalMs: 60_000, cacheMs: 1_500, probeTimeoutMs: 2_000, probeWriteAfterMs: 5_000, now: Date.now, ...options };
  }

  /** Since when, how often and why calls fail; null while the database answers. */
  get failing(): { since: number; count: number; cause: string } | null {
    const f = this.#failing;
    return f ? { since: f.since, count: f.count, cause: f.cause } : null;
  }

  /**
   * Records a failed call. True when the failure is the database being unavailable (recorded and
   * logged here, at most once per interval): the caller answers "retry later" and logs nothing.
   * The same error reported twice (by a transaction and by the request around it) counts once.
   */
  reportFailure(error: unknown): boolean {
    if (!this.#o.isTransient(error)) return false;
    if (typeof error === 'object' && error !== null) {
      if (this.#seen.has(error)) return true;
      this.#seen.add(error);
    }
    const now = this.#o.now();
    const cause = describeError(error);
    const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : null;
    const f = this.#failing;
    if (!f) {
      this.#failing = { since: now, lastAt: now, count: 1, cause, code, loggedAt: now, loggedCount: 1 };
      this.#cached = null;
      this.#o.log.error('store', 'the database is failing: requests are answered 503 with Retry-After until it recovers', { store: this.#o.dialect, cause, code });
      return true;
    }
    f.count += 1;
    f.lastAt = now;
    f.cause = cause;
    f.code = code;
    if (now - f.loggedAt >= this.#o.logIntervalMs) {
      this.#o.log.error('store', 'the database is still failing', { store: this.#o.dialect, cause, code, since: new Date(f.since).toISOString(), failures: f.count, failuresSinceLastLog: f.count - f.loggedCount });
      f.loggedAt = now;
      f.loggedCount = f.count;
    }
    return true;
  }

  /** A write committed: the database takes writes again. */
  reportSuccess(): void {
    const f = this.#failing;
    if (!f) return;
    this.#failing = null;
    this.#cached = null;
    this.#o.log.info('store', 'the database recovered', { store: this.#o.dialect, failingForMs: this.#o.now() - f.since, failures: f.count, lastCause: f.cause });
  }

  /**
   * For `/health`: a `select 1` bounded by `probeTimeoutMs`, and while writes are failing one
   * small committed write (a row of `job_leases` that no job uses), so the check turns green by
   * itself once writes work again even when nothing else is writing. Only once no call has
   * failed for `probeWriteAfterMs`: a fresh failure says more than a one-row write, which may
   * fit where real writes do not. Cached for `cacheMs`; callers arriving meanwhile share one.
   */
  check(): Promise<StoreCheck> {
    const now = this.#o.now();
    if (this.#cached && now - this.#cached.at < this.#o.cacheMs) return Promise.resolve(this.#cached.check);
    this.#running ??= this.#probe().then((check) => {
      this.#cached = { at: this.#o.now(), check };
      return check;
    }).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Resolves when `work` does, or rejects once `ms` have passed (the work itself runs on). */
  bounded<T>(work: Promise<T>, what: string, ms = this.#o.probeTimeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      timer.unref?.();
    });
    work.catch(() => {});
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  async #probe(): Promise<StoreCheck> {
    try {
      await this.bounded(sql`select 1`.execute(this.#o.db), 'the database');
    } catch (error) {
      this.reportFailure(error);
      return { ok: false, detail: `${this.#o.dialect}: not answering: ${describeError(error)}` };
    }
    if (this.#failing && this.#o.now() - this.#failing.lastAt >= this.#o.probeWriteAfterMs) {
      try {
        const now = this.#o.now();
        await this.bounded(
          this.#o.db.insertInto('job_leases').values({ name: WRITE_PROBE, holder: null, held_until: now })
            .onConflict((oc) => oc.column('name').doUpdateSet({ held_until: now })).execute(),
          'a write to the database',
        );
        this.reportSuccess();
      } catch (error) {
        this.reportFailure(error);
      }
    }
    const f = this.#failing;
    if (f) return { ok: false, detail: `${this.#o.dialect}: writes failing since ${new Date(f.since).toISOString()} (${f.count} failed calls): ${f.cause}` };
    return { ok: true, detail: this.#o.dialect };
  }
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return text.slice(0, 300);
}
