/** Time is a dependency: domain code asks a Clock, never `Date.now()`, so tests can move it. */
export interface Clock {
  /** Milliseconds since the Unix epoch, UTC. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests drive by hand. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: number | string = '2026-01-01T00:00:00Z') {
    this.#now = typeof start === 'number' ? start : Date.parse(start);
  }
  now(): number {
    return this.#now;
  }
  set(at: number | string): void {
    this.#now = typeof at === 'number' ? at : Date.parse(at);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/**
 * Another clock moved by an offset that is measured elsewhere (app/clock-sync.ts measures it
 * against the database server's clock, so instances on one PostgreSQL agree on time).
 */
export class OffsetClock implements Clock {
  readonly #base: Clock;
  #offsetMs = 0;
  constructor(base: Clock) {
    this.#base = base;
  }
  now(): number {
    return this.#base.now() + this.#offsetMs;
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  setOffset(ms: number): void {
    this.#offsetMs = ms;
  }
}
