import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * Group commit. Requests enqueue their parsed work and await a promise; one flusher commits
 * everything that arrived while the previous commit ran in a single transaction, then settles
 * every waiter. A commit per request caps near 4.7k/s on SQLite (each fsync blocks); one commit
 * per batch reached ~41k durable inserts/s (DESIGN.md). Senders are answered only after commit;
 * a failed batch rejects all its waiters, and each sender gets its retryable 5xx.
 *
 * With `maxInFlight` 2 (SQLite), the next batch starts while the previous one waits for its
 * WAL fsync off the event loop: each batch's senders are still answered only once *its* commit is
 * on disk, but the CPU never idles through a sync.
 *
 * The queue is bounded in queued *signals* so a burst cannot grow memory without limit;
 * `submit` throws {@link QueueFullError} and the HTTP layer answers 503/429 with Retry-After.
 */
export class QueueFullError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('UNAVAILABLE', 'alert ingestion is overloaded; retry shortly', { retryAfterSeconds });
    this.name = 'QueueFullError';
  }
}

export interface IngestQueueOptions<T, R> {
  /** Commits one batch in one transaction; returns one result per item, in order. */
  commit(items: T[]): Promise<R[]>;
  /** Weight of an item against the bound (its number of signals, at least 1). */
  weight?(item: T): number;
  /** Most weight waiting at once; beyond it, `submit` refuses. */
  maxQueued?: number;
  /** Most weight committed in one transaction; a larger backlog takes several. */
  maxBatch?: number;
  /** Batches committing at once (the store's `pipelinedCommits`). */
  maxInFlight?: number;
  /** True for a failure already reported elsewhere (the database being unavailable): not logged per batch. */
  reported?(error: unknown): boolean;
  log: Logger;
}

interface Waiter<T, R> {
  item: T;
  weight: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class IngestQueue<T, R> {
  readonly #options: Required<Omit<IngestQueueOptions<T, R>, 'log'>> & { log: Logger };
  #waiting: Waiter<T, R>[] = [];
  #queuedWeight = 0;
  #inFlight = 0;
  #scheduled = false;
  #busy = false;
  #closed = false;
  #idle: Promise<void> = Promise.resolve();
  #markIdle: () => void = () => {};
  /** Counters for metrics and the benchmark. */
  readonly stats = { batches: 0, items: 0, weight: 0, failures: 0, refused: 0, largestBatch: 0, largestWeight: 0 };

  constructor(options: IngestQueueOptions<T, R>) {
    this.#options = { weight: () => 1, maxQueued: 200_000, maxBatch: 20_000, maxInFlight: 1, reported: () => false, ...options };
  }

  /** Nothing waiting and nothing committing. */
  get isIdle(): boolean {
    return this.#inFlight === 0 && this.#waiting.length === 0;
  }

  get queuedWeight(): number {
    return this.#queuedWeight;
  }

  submit(item: T): Promise<R> {
    if (this.#closed) return Promise.reject(new AppError('UNAVAILABLE', 'the server is shutting down; retry shortly', { retryAfterSeconds: 2 }));
    const weight = Math.max(1, this.#options.weight(item));
    if (this.#queuedWeight > 0 && this.#queuedWeight + weight > this.#options.maxQueued) {
      this.stats.refused += 1;
      return Promise.reject(new QueueFullError(1));
    }
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ item, weight, resolve, reject });
      this.#queuedWeight += weight;
      this.#schedule();
    });
  }

  /** Stops accepting, and resolves once everything already queued is committed. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#idle;
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#options.maxInFlight || this.#waiting.length === 0) return;
    if (!this.#busy) {
      this.#busy = true;
      this.#idle = new Promise((resolve) => (this.#markIdle = resolve));
    }
    this.#scheduled = true;
    // Let the requests that arrive in the same tick join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#waiting.length > 0 && this.#inFlight < this.#options.maxInFlight) void this.#commitBatch(this.#take());
    });
  }

  async #commitBatch(batch: Waiter<T, R>[]): Promise<void> {
    this.#inFlight += 1;
    try {
      const results = await this.#options.commit(batch.map((w) => w.item));
      this.stats.batches += 1;
      this.stats.items += batch.length;
      let weight = 0;
      for (const w of batch) weight += w.weight;
      this.stats.weight += weight;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      this.stats.largestWeight = Math.max(this.stats.largestWeight, weight);
      batch.forEach((w, i) => w.resolve(results[i] as R));
    } catch (error) {
      this.stats.failures += 1;
      if (!this.#options.reported(error)) this.#options.log.warn('ingest', 'batch commit failed; every sender in it gets a retryable error', { items: batch.length, error: (error as Error).message });
      for (const w of batch) w.reject(error);
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0 && this.#waiting.length === 0) {
        this.#busy = false;
        this.#markIdle();
      } else {
        this.#schedule();
      }
    }
  }

  #take(): Waiter<T, R>[] {
    let weight = 0;
    let count = 0;
    for (const w of this.#waiting) {
      if (count > 0 && weight + w.weight > this.#options.maxBatch) break;
      weight += w.weight;
      count += 1;
    }
    const batch = this.#waiting.splice(0, count);
    this.#queuedWeight -= weight;
    return batch;
  }
}
