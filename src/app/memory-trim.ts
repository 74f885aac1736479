import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Gives memory back after a burst of ingestion. Group commit keeps each request's objects alive
 * until its batch is on disk, so under load many of them survive young-generation collections
 * and end up in the old generation, which V8 grows to hold them. Once the burst is over nothing
 * allocates, so no collection runs and the grown heap stays resident: measured here, 100k alerts
 * posted at 100 per request left ~140 MB of heap of which ~28 MB was live, and it stayed so for
 * as long as the server idled. One full collection when ingestion has gone quiet lets V8 return
 * the rest to the OS within about a second (RSS 190 → 147 MB in that measurement).
 *
 * It runs only after at least `minAlerts` were committed since the last one and ingestion was
 * idle (nothing queued or committing, nothing committed) for a whole `intervalMs`, so a steady
 * stream never pays for it and a quiet server never runs it. The first collection frees the
 * garbage; V8 gives the emptied pages back only after its concurrent sweeping, so a second one
 * follows an interval later (measured: one left RSS at 166 MB, two at 137 MB). Each pause is
 * tens of ms for a heap of this size, in a moment with no ingestion.
 */
export interface MemoryTrimOptions {
  /** Alerts committed so far; the trim watches it stop moving. */
  committedAlerts: () => number;
  /** True while nothing is queued or being committed. */
  isIdle: () => boolean;
  minAlerts?: number;
  intervalMs?: number;
  /** A full collection; V8's `gc()` unless a test passes its own. */
  collect?: () => void;
}

export function startMemoryTrim(options: MemoryTrimOptions): () => void {
  const collect = options.collect ?? fullCollection();
  if (!collect) return () => {};
  const minAlerts = options.minAlerts ?? 20_000;
  let seen = options.committedAlerts();
  let trimmedAt = seen;
  let wasIdle = false;
  let secondPass = false;
  const timer = setInterval(() => {
    const now = options.committedAlerts();
    const idle = options.isIdle() && now === seen;
    if (idle && secondPass) {
      secondPass = false;
      collect();
    } else if (idle && wasIdle && now - trimmedAt >= minAlerts) {
      trimmedAt = now;
      secondPass = true;
      collect();
    } else if (!idle) {
      secondPass = false;
    }
    wasIdle = idle;
    seen = now;
  }, options.intervalMs ?? 500);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * V8's `gc()`, which Node only exposes with `--expose-gc`; the flag can be set at run time and
 * the function read from a fresh context. Null if that ever stops working: trimming is an
 * optimisation, never a requirement.
 */
function fullCollection(): (() => void) | null {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
