import { OffsetClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { HealthRegistry } from '../http/health.js';
import { Gauge, type MetricsRegistry } from '../observability/metrics.js';
import type { Store } from '../store/index.js';

/** Beyond this, the host's clock is named in the log at start (it is corrected either way). */
export const CLOCK_SKEW_WARN_MS = 1_000;
/** How often the offset is measured again (hosts' clocks drift, NTP steps them). */
const RESYNC_MS = 60_000;
const SAMPLES = 3;

export interface DatabaseClock {
  /** The instance's clock, on the database server's time. */
  clock: OffsetClock;
  /** Measures now (tests; the periodic re-measure calls it too). */
  measure(): Promise<number>;
  register(metrics: MetricsRegistry, health: HealthRegistry): void;
  stop(): void;
}

/**
 * On PostgreSQL every instance uses the database server's time: timer due times written by one
 * instance are compared with `now` by another, so a host 30 s ahead fired every level-2 step
 * 30 s early. The offset to the database's clock is measured at start (best of a few round
 * trips: offset = server time − the middle of the round trip) and every minute, and applied to
 * the process clock; domain code keeps taking `ctx.clock` as before. SQLite is single-instance:
 * null there, the process clock is used as is.
 */
export async function startDatabaseClock(store: Store, base: Clock, log: Logger): Promise<DatabaseClock | null> {
  const read = store.dialect.databaseTime;
  if (!read) return null;
  const clock = new OffsetClock(base);
  let measuredAt = 0;
  let lastError: string | null = null;
  const measure = async (): Promise<number> => {
    let best: { rtt: number; offset: number } | null = null;
    for (let i = 0; i < SAMPLES; i += 1) {
      const t0 = base.now();
      const server = await read();
      const t1 = base.now();
      const sample = { rtt: t1 - t0, offset: Math.round(server - (t0 + t1) / 2) };
      if (!best || sample.rtt < best.rtt) best = sample;
    }
    const first = measuredAt === 0;
    const before = clock.offsetMs;
    clock.setOffset(best!.offset);
    measuredAt = Date.now();
    lastError = null;
    if (!first && Math.abs(best!.offset - before) > CLOCK_SKEW_WARN_MS) {
      log.warn('lifecycle', 'this host\'s clock moved against the database\'s; using the database\'s time', { offsetMs: best!.offset, previousOffsetMs: before });
    }
    return best!.offset;
  };
  const offset = await measure();
  if (Math.abs(offset) > CLOCK_SKEW_WARN_MS) {
    log.warn('lifecycle', 'this host\'s clock differs from the database server\'s; timers use the database\'s time', { offsetMs: offset, warnAboveMs: CLOCK_SKEW_WARN_MS });
  }
  const timer = setInterval(() => {
    measure().catch((e: unknown) => {
      // The last offset stays in use; the store's own health says whether the database is away.
      lastError = (e as Error).message;
    });
  }, RESYNC_MS);
  timer.unref?.();
  return {
    clock,
    measure,
    register(metrics, health) {
      metrics.register(new Gauge('firebreak_clock_offset_seconds', 'Database server time minus this host\'s time, applied to every timer (PostgreSQL).', (g) => g.set(clock.offsetMs / 1000)));
      health.register('clock', () => {
        const detail = `${clock.offsetMs >= 0 ? '+' : ''}${clock.offsetMs} ms to the database's clock, corrected`;
        // Stale: the correction may no longer hold (an NTP step since); the store check says why.
        const stale = Date.now() - measuredAt > RESYNC_MS * 5;
        return { ok: !stale, detail: stale ? `${detail}; not measured for ${Math.round((Date.now() - measuredAt) / 1000)} s${lastError ? ` (${lastError})` : ''}` : detail };
      });
    },
    stop: () => clearInterval(timer),
  };
}
