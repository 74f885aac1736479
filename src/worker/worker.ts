import { hostname } from 'node:os';
import { systemActor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { randomToken } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { FOLLOW_UP_PURPOSES } from '../domain/actions/describe-deliveries.js';
import type { Ctx } from '../domain/context.js';
import type { IncidentHook } from '../domain/incidents/hooks.js';
import type { ClaimOnInsert } from '../domain/paging/advance-escalation.js';
import type { LinkSigner } from '../domain/paging/ack-token.js';
import type { TimerKind } from '../domain/paging/timers.js';
import { FANOUT_BATCH } from '../domain/subscribers/expand-notifications.js';
import type { SendOutcome } from '../notify/message.js';
import { NOTIFIERS, type ChannelDeps } from '../notify/registry.js';
import { sendToSubscriber } from '../notify/subscriber/send.js';
import { Counter, Histogram, type MetricsRegistry } from '../observability/metrics.js';
import type { Store, Tx } from '../store/index.js';
import type { DeliveryTable, TimerTable } from '../store/schema.js';
import { retryDelayMs } from './backoff.js';
import { writeDeliveryResults, type FinishedAttempt } from './delivery-results.js';
import { BULK_PRIORITY, claimDeliveries, nextDeliveryDue, releaseDeliveries, startAttempts } from './delivery-queue.js';
import { TIMER_HANDLERS, type TimerHandler } from './handlers.js';
import { workerOptions, type WorkerOptions } from './worker-options.js';
import { prepareDeliveries, type PreparedDelivery } from './messages.js';
import { claimTimers, deferTimers, nextTimerDue, releaseTimers, retryTimer } from './timer-queue.js';

export type { WorkerOptions } from './worker-options.js';

export interface DeliveryEvent {
  deliveryId: string;
  channel: string;
  dueAt: number;
  finishedAt: number;
  attempt: number;
  outcome: SendOutcome | { ok: false; cancelled: true; error: string };
}

export interface WorkerDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  instanceId?: string;
  incidentHooks: readonly IncidentHook[];
  channels: ChannelDeps;
  publicUrl: string;
  links: LinkSigner;
  metrics?: MetricsRegistry;
  options?: Partial<WorkerOptions>;
  /** Observes every finished attempt (tests, the benchmark). */
  onDelivery?: (event: DeliveryEvent) => void;
  /** Runs after claimed rows are prepared, just before their last look and send (tests hold a send here). */
  beforeSend?: (rows: readonly DeliveryTable[]) => Promise<void> | void;
  handlers?: Record<TimerKind, TimerHandler>;
}

type Finished = FinishedAttempt;

const isBulk = (row: DeliveryTable): boolean => (row.priority ?? 0) >= BULK_PRIORITY;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/** Who the timeline says acted when a timer of each kind fires. */
const TIMER_ACTORS: Partial<Record<TimerKind, string>> = {
  escalate: 'escalation', escalate_unresolved: 'escalation', update_due: 'update cadence', maintenance: 'scheduled maintenance',
  action_due: 'follow-ups', action_digest: 'follow-ups', task_due: 'follow-ups', postmortem_due: 'post-mortem due date', comm_task: 'update cadence', subscribers: 'subscribers',
};

/**
 * The worker: claims due timers and due deliveries from the database and runs them.
 *
 * - Timers: one claim statement per batch (`SKIP LOCKED` on PostgreSQL), one transaction per
 *   timer in which the handler re-checks the claim (fencing) under its row locks.
 * - Deliveries: claimed rows are committed `sending` before any call out; sends run
 *   concurrently up to a cap; their results are written back in batches (group commit).
 * - Sleep: until the earliest due row, at most `idlePollMs`; a hook that creates a timer due
 *   now wakes the loop directly (`wake`).
 * - Stop: no new claims; sends in flight are waited for (bounded by a grace period) and their
 *   results written; every claim not handed to the network is released at once, so another
 *   instance takes over without waiting for a lease to expire.
 */
export class Worker {
  readonly id: string;
  readonly #deps: WorkerDeps;
  readonly #o: WorkerOptions;
  readonly #handlers: Record<TimerKind, TimerHandler>;
  readonly #inflight = new Set<Promise<void>>();
  /** Send slots taken: sends in flight, claimed rows being prepared, and reservations of timer groups. */
  #busy = 0;
  /** Of #busy, slots held by bulk-lane rows. */
  #bulkBusy = 0;
  /** The bulk lane was at its cap when the loop last looked: half of it freeing wakes the loop. */
  #bulkStarved = false;
  /** When a page or reminder was last handed to its channel (clock ms): see `pagingYieldMs`. */
  #urgentAt = -Infinity;
  /** When a subscriber fan-out batch was last expanded (clock ms). */
  #fanoutAt = -Infinity;
  /** Until when a fan-out that just began keeps the lane narrow (clock ms): see `fanoutStartMs`. */
  #fanoutStartUntil = -Infinity;
  /** While the lane yields, its next batch is claimed from then (clock ms): see `bulkRateWhilePaging`. */
  #bulkNextAt = -Infinity;
  /** Subscribers per fan-out expansion in the timer round under way: see `fanoutBatchWhilePaging`. */
  #fanoutBatch = FANOUT_BATCH;
  #finished: Finished[] = [];
  #flushing: Promise<void> | null = null;
  #flushTimer: NodeJS.Timeout | null = null;
  /** The flush timer is the bulk lane's longer one: a page's result replaces it with the short one. */
  #flushIsBulk = false;
  #running = false;
  #wakePending = false;
  /** Every send slot was taken when the loop last looked: a finished send must wake it. */
  #starved = false;
  #loop: Promise<void> | null = null;
  #interrupt: (() => void) | null = null;
  #lastLoopAt = 0;
  readonly #delivered: Counter | null;
  readonly #lateness: Histogram | null;

  constructor(deps: WorkerDeps) {
    this.#deps = deps;
    this.id = deps.instanceId ?? `${hostname()}:${process.pid}:${randomToken(4)}`;
    this.#o = workerOptions(deps.store.dialect.name, deps.options);
    this.#handlers = deps.handlers ?? TIMER_HANDLERS;
    this.#delivered = deps.metrics?.register(new Counter('firebreak_delivery_attempts_total', 'Notification attempts by channel and result.')) ?? null;
    this.#lateness = deps.metrics?.register(new Histogram('firebreak_delivery_lateness_seconds', 'From due to handed to the channel.', [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60])) ?? null;
  }

  get options(): Readonly<WorkerOptions> {
    return this.#o;
  }

  /** When the loop last went round (epoch ms, wall clock); the heartbeat checks it. */
  get lastLoopAt(): number {
    return this.#lastLoopAt;
  }

  get running(): boolean {
    return this.#running;
  }

  /** A page or reminder went out within `pagingYieldMs`: background work waits (report-scheduler.ts). */
  pagingRecently(): boolean {
    return this.#deps.clock.now() - this.#urgentAt < this.#o.pagingYieldMs;
  }

  #ctx(name: string): Ctx {
    const { store, clock, log, incidentHooks } = this.#deps;
    return { actor: systemActor(name), clock, log, requestId: `worker:${this.id}`, store, incidentHooks };
  }

  /**
   * A committed change created a timer (or a send) due at `runAt`: make sure the loop looks
   * then. Callers wake after their commit (store/after-commit.ts), so one look is enough.
   */
  wake = (runAt: number): void => {
    if (!this.#running) return;
    const delay = Math.max(0, runAt - this.#deps.clock.now());
    if (delay > this.#o.idlePollMs) return;
    if (delay === 0) this.#wakeNow();
    else setTimeout(this.#wakeNow, delay).unref?.();
  };

  readonly #wakeNow = (): void => {
    // Remembered, not only signalled: a wake while the loop is busy must not be lost to the
    // sleep that follows (which would then wait for the next poll).
    this.#wakePending = true;
    this.#interrupt?.();
  };

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    const { log } = this.#deps;
    while (this.#running) {
      this.#lastLoopAt = Date.now();
      this.#wakePending = false;
      let worked = 0;
      try {
        worked += await this.runTimers();
        worked += await this.pumpDeliveries();
      } catch (e) {
        // The database being unavailable is logged by the store, once per interval.
        if (!this.#deps.store.health.reportFailure(e)) log.error('worker', 'worker loop failed; retrying', { error: (e as Error).message });
        await this.#sleep(1_000);
        continue;
      }
      if (!this.#running) break;
      if (worked > 0) {
        await new Promise((r) => setImmediate(r));
        continue;
      }
      await this.#sleep(await this.#waitMs());
    }
  }

  async #waitMs(): Promise<number> {
    const now = this.#deps.clock.now();
    // With the bulk lane full (or yielding to pages), queued subscriber rows are not work for
    // now: looking every busy poll for them was a claim round every 20 ms through a fan-out.
    // A send of the lane finishing wakes the loop (#track), as does the end of the yield.
    const bulkCap = this.#bulkCap(now);
    const yielding = bulkCap < this.#o.bulkConcurrency;
    const paced = yielding && now < this.#bulkNextAt;
    const bulkFull = this.#bulkBusy >= bulkCap || paced;
    const [t, d] = await Promise.all([nextTimerDue(this.#deps.store), nextDeliveryDue(this.#deps.store, bulkFull ? 'urgent' : undefined)]).catch(() => [null, null]);
    const capacityFull = this.#busy >= this.#o.sendConcurrency;
    if (capacityFull) this.#starved = true;
    if (bulkFull) this.#bulkStarved = true;
    const yieldEnds = yielding ? Math.max(this.#urgentAt + this.#o.pagingYieldMs, this.#fanoutStartUntil) : null;
    const candidates = [t, capacityFull ? null : d, yieldEnds, paced ? this.#bulkNextAt : null].filter((x): x is number => x !== null);
    if (candidates.length === 0) return this.#o.idlePollMs;
    const next = Math.min(...candidates);
    if (next <= now) return this.#o.busyPollMs;
    return Math.min(this.#o.idlePollMs, next - now);
  }

  #sleep(ms: number): Promise<void> {
    if (this.#wakePending) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.#interrupt === done) self.#interrupt = null;
        resolve();
      }
      this.#interrupt = done;
    });
  }

  /**
   * For deliveries inserted claimed by another transaction of this process (the first step of a
   * new incident, taken in the transaction that opened it): the claim to write, or null when the
   * loop does not run here. Its `max` is the send slots free now.
   */
  claimOnInsert(): ClaimOnInsert | null {
    if (!this.#running) return null;
    return { owner: this.id, leaseMs: this.#o.deliveryLeaseMs, max: Math.max(0, this.#o.sendConcurrency - this.#busy) };
  }

  /** After the commit that inserted them claimed (see {@link claimOnInsert}): send them now. */
  sendClaimed(rows: DeliveryTable[]): void {
    if (rows.length === 0) return;
    this.#busy += rows.length;
    this.#track(this.#startSends(rows));
  }

  /** Claims and runs due timers; returns how many were claimed. */
  async runTimers(): Promise<number> {
    const { store, clock } = this.#deps;
    const now = clock.now();
    const all = await claimTimers(store, { owner: this.id, now, leaseMs: this.#o.timerLeaseMs, limit: this.#o.batchSize });
    if (all.length === 0) return 0;
    // A subscriber fan-out batch (hundreds of inserts) never shares a transaction with, or goes
    // before, escalation steps: pages first, then each fan-out batch in its own transaction.
    let fanouts = all.filter((t) => t.kind === 'subscribers');
    // A fan-out begins: no batch expanded for twice the longest gap a running one leaves (a yield
    // period, or the paced interval between expansions while paging). Measured against the yield
    // period alone, a paced interval longer than two of them made every expansion a new start,
    // and the lane never widened again.
    if (fanouts.length > 0 && now - this.#fanoutAt > 2 * Math.max(this.#o.pagingYieldMs, this.#expansionSliceMs())) this.#fanoutStartUntil = now + this.#o.fanoutStartMs;
    const yielding = this.#bulkCap(now) < this.#o.bulkConcurrency;
    this.#fanoutBatch = yielding ? Math.min(this.#o.fanoutBatchWhilePaging, FANOUT_BATCH) : FANOUT_BATCH;
    if (fanouts.length > 0 && yielding) {
      // Paging now: one small batch per slice, at the pace the lane sends, the rest put back
      // until the next slice.
      const slice = this.#expansionSliceMs();
      const runNow = now - this.#fanoutAt >= slice ? fanouts.slice(0, 1) : [];
      await deferTimers(store, this.id, fanouts.slice(runNow.length).map((t) => t.id), Math.max(now, this.#fanoutAt) + slice);
      fanouts = runNow;
    }
    if (fanouts.length > 0) this.#fanoutAt = now;
    const claimed = all.filter((t) => t.kind !== 'subscribers');
    for (const timer of fanouts) claimed.push(timer);
    const groupEnd = (from: number) => {
      if (claimed[from]?.kind === 'subscribers') return from + 1;
      let end = Math.min(from + this.#o.timerGroupSize, claimed.length);
      const firstFanout = claimed.findIndex((t, i) => i >= from && t.kind === 'subscribers');
      if (firstFanout >= 0 && firstFanout < end) end = firstFanout;
      return end;
    };
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) {
        const group = claimed.slice(next, groupEnd(next));
        next += group.length;
        if (!this.#running && this.#loop !== null) {
          await releaseTimers(store, this.id, group.map((t) => t.id));
          continue;
        }
        if (group.length > 1) {
          try {
            await this.#runTimerGroup(group);
            continue;
          } catch {
            // Rolled back as a whole: run them one by one, so one bad timer cannot hold up the others.
          }
        }
        for (const timer of group) await this.#runTimer(timer);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.#o.timerConcurrency, Math.ceil(claimed.length / this.#o.timerGroupSize))) }, lane));
    return all.length;
  }

  /**
   * Timers in one transaction: one commit (one fsync on SQLite) and one statement per kind of
   * row for the whole group. Deliveries due now are inserted already claimed by this instance,
   * up to the free send slots, and start sending as soon as the transaction commits.
   */
  async #runTimerGroup(group: readonly TimerTable[]): Promise<void> {
    const { store } = this.#deps;
    const writer = store.dialect.pagingWriter;
    // A few contact methods per step; the cap leaves free slots for the groups of other lanes.
    const budget = Math.max(0, Math.min(this.#o.sendConcurrency - this.#busy, group.length * 4));
    this.#busy += budget;
    let outcome: { stale: TimerTable[]; claimed: DeliveryTable[] };
    try {
      outcome = await store.transaction(async (tx: Tx) => {
        const stale: TimerTable[] = [];
        const claimed: DeliveryTable[] = [];
        const kinds = [...new Set(group.map((t) => t.kind))];
        for (const kind of kinds) {
          const timers = group.filter((t) => t.kind === kind);
          const handler = this.#handlers[kind as TimerKind];
          if (!handler) throw new Error(`no handler for timer kind '${kind}'`);
          // The actor on the timeline events the handler writes.
          const r = await handler(this.#ctx(TIMER_ACTORS[kind as TimerKind] ?? 'escalation'), tx, timers, {
            held: () => writer.heldTimers(tx, this.id, timers),
            claim: { owner: this.id, leaseMs: this.#o.deliveryLeaseMs, max: budget - claimed.length },
            fanoutBatch: this.#fanoutBatch,
          });
          stale.push(...r.stale);
          claimed.push(...r.claimed);
        }
        return { stale, claimed };
      });
    } catch (e) {
      this.#busy -= budget;
      throw e;
    }
    this.#busy -= budget - outcome.claimed.length;
    if (outcome.claimed.length > 0) this.#track(this.#startSends(outcome.claimed));
    for (const timer of outcome.stale) {
      // Only if the timer is still exactly the one claimed (e.g. its escalation is gone).
      await store.db
        .deleteFrom('timers')
        .where('id', '=', timer.id)
        .where('locked_by', '=', this.id)
        .where('attempts', '=', timer.attempts)
        .where('generation', '=', timer.generation)
        .execute();
    }
  }

  async #runTimer(timer: TimerTable): Promise<void> {
    const { store, clock, log } = this.#deps;
    try {
      await this.#runTimerGroup([timer]);
    } catch (e) {
      const delay = retryDelayMs(timer.attempts, null, { baseMs: this.#o.timerRetryBaseMs, capMs: this.#o.timerRetryCapMs, random: this.#o.random });
      if (!store.health.reportFailure(e)) log.error('worker', 'timer handler failed; will retry', { timer: timer.key, attempt: timer.attempts, retryInMs: delay, error: (e as Error).message });
      await retryTimer(store, { id: timer.id, owner: this.id, attempts: timer.attempts, runAt: clock.now() + delay, error: (e as Error).message }).catch(() => {});
    }
  }

  /** While the lane yields, one expansion of `fanoutBatchWhilePaging` subscribers per this many ms. */
  #expansionSliceMs(): number {
    return (Math.min(this.#o.fanoutBatchWhilePaging, FANOUT_BATCH) * 1000) / this.#o.bulkRateWhilePaging;
  }

  /** The bulk lane's cap now: its own, or `bulkWhilePaging` within `pagingYieldMs` of a page or as a fan-out starts (`fanoutStartMs`). */
  #bulkCap(now: number): number {
    const narrow = now - this.#urgentAt < this.#o.pagingYieldMs || now < this.#fanoutStartUntil;
    return narrow ? Math.min(this.#o.bulkWhilePaging, this.#o.bulkConcurrency) : this.#o.bulkConcurrency;
  }

  #track(promise: Promise<void>): void {
    const tracked: Promise<void> = promise.finally(() => {
      this.#inflight.delete(tracked);
      // Only a loop that left due deliveries waiting for a free slot has anything new to do;
      // waking it for every finished send cost a claim round (four queries) per send.
      if (this.#starved && this.#busy < this.#o.sendConcurrency) {
        this.#starved = false;
        this.#interrupt?.();
      } else if (this.#bulkStarved && this.#bulkBusy <= this.#bulkCap(this.#deps.clock.now()) / 2) {
        // Not per finished send (a claim round each): once half the lane is free.
        this.#bulkStarved = false;
        this.#interrupt?.();
      }
    });
    this.#inflight.add(tracked);
  }

  /**
   * Renders and sends claimed rows; each holds one `#busy` slot until its send finishes. Bulk
   * rows go at most `bulkInFlight` at a time (pages and reminders all at once).
   */
  async #startSends(rows: DeliveryTable[], bulkInFlight = Infinity): Promise<void> {
    const { store, clock, publicUrl, links, log } = this.#deps;
    let prepared: PreparedDelivery[];
    let cleared: Set<string>;
    try {
      prepared = await prepareDeliveries(store, rows, { publicUrl, links, now: clock.now() });
      await this.#deps.beforeSend?.(rows);
      // The last look, as late as it can be and one statement for the batch: an acknowledgement
      // that commits before it cancels these rows; one that commits after it is too late for them.
      cleared = await startAttempts(store, this.id, clock.now(), rows);
    } catch (e) {
      // Could not read what to send: the claims go back (or their leases run out).
      this.#busy -= rows.length;
      this.#bulkBusy -= rows.filter(isBulk).length;
      if (!store.health.reportFailure(e)) log.error('worker', 'could not prepare deliveries; releasing them', { error: (e as Error).message });
      await releaseDeliveries(store, this.id, clock.now(), rows.map((r) => r.id)).catch(() => {});
      return;
    }
    if (rows.some((r) => !isBulk(r))) this.#urgentAt = clock.now();
    const sendOne = (p: PreparedDelivery) => this.#send(p, cleared.has(p.row.id)).finally(() => {
      if (!isBulk(p.row)) this.#urgentAt = this.#deps.clock.now();
      this.#busy -= 1;
      if (isBulk(p.row)) this.#bulkBusy -= 1;
    });
    const bulk = prepared.filter((p) => isBulk(p.row));
    for (const p of prepared) if (!isBulk(p.row) || bulk.length <= bulkInFlight) this.#track(sendOne(p));
    if (bulk.length > bulkInFlight) {
      // `bulkInFlight` chains, each sending its share of the rows one after another.
      const chains = Array.from({ length: Math.max(1, bulkInFlight) }, (_, i) => bulk.filter((_p, j) => j % Math.max(1, bulkInFlight) === i));
      for (const chain of chains) this.#track(chain.reduce<Promise<void>>((done, p) => done.then(() => sendOne(p), () => sendOne(p)), Promise.resolve()));
    }
  }

  /** Claims due deliveries up to the free send capacity and starts sending them. */
  async pumpDeliveries(): Promise<number> {
    const { store, clock } = this.#deps;
    const capacity = this.#o.sendConcurrency - this.#busy;
    if (capacity <= 0) {
      this.#starved = true;
      return 0;
    }
    const limit = Math.min(capacity, this.#o.batchSize * 2);
    this.#busy += limit;
    let rows: DeliveryTable[];
    let bulk: DeliveryTable[] = [];
    let paging = false;
    try {
      // Pages and reminders first, then the bulk lane within its own cap of the slots left.
      rows = await claimDeliveries(store, { owner: this.id, now: clock.now(), leaseMs: this.#o.deliveryLeaseMs, limit, lane: 'urgent' });
      const now = clock.now();
      const bulkCap = this.#bulkCap(now);
      paging = bulkCap < this.#o.bulkConcurrency;
      // While paging: a batch only once the last one is sent and its time has come
      // (`bulkRateWhilePaging`), its rows sent one at a time.
      const batch = Math.max(1, this.#o.bulkBatchWhilePaging);
      const room = paging ? (this.#bulkBusy === 0 && now >= this.#bulkNextAt ? batch : 0) : bulkCap - this.#bulkBusy;
      const bulkLimit = Math.min(limit - rows.length, room);
      if (room <= 0) this.#bulkStarved = true;
      if (bulkLimit > 0) bulk = await claimDeliveries(store, { owner: this.id, now, leaseMs: this.#o.deliveryLeaseMs, limit: bulkLimit, lane: 'bulk' });
      if (paging && bulk.length > 0) this.#bulkNextAt = now + (bulk.length * 1000) / this.#o.bulkRateWhilePaging;
    } finally {
      this.#busy -= limit;
    }
    rows = [...rows, ...bulk];
    if (rows.length === 0) return 0;
    this.#busy += rows.length;
    this.#bulkBusy += bulk.length;
    await this.#startSends(rows, paging ? this.#o.bulkWhilePaging : Infinity);
    return rows.length;
  }

  /** `cleared`: the last look ({@link startAttempts}) let this attempt go to the network. */
  async #send(p: PreparedDelivery, cleared: boolean): Promise<void> {
    const { clock, channels } = this.#deps;
    let outcome: Finished['outcome'];
    const incident = p.message.incident;
    if (!cleared) {
      // Acknowledged or resolved between the claim and now (or the claim was lost, and then the
      // result is not written): do not page.
      const status = incident && incident.status !== 'triggered' ? incident.status : 'no longer triggered (acknowledged or resolved before the send)';
      outcome = { ok: false, cancelled: true, error: `incident is ${status}` };
    } else if ((p.row.purpose === 'update_reminder' || p.row.purpose === 'comm_task_reminder') && incident?.status === 'resolved') {
      outcome = { ok: false, cancelled: true, error: 'incident is resolved: no update is owed' };
    } else if ((FOLLOW_UP_PURPOSES as readonly string[]).includes(p.row.purpose) && !p.message.followUp) {
      outcome = { ok: false, cancelled: true, error: 'no longer due: the action item was closed or the task done' };
    } else if (p.subscriber === 'gone') {
      outcome = { ok: false, retryable: false, status: null, retryAfterMs: null, error: 'the subscriber unsubscribed or was removed', latencyMs: 0 };
    } else if (p.subscriber) {
      try {
        outcome = await sendToSubscriber(p.subscriber, channels);
      } catch (e) {
        outcome = { ok: false, retryable: true, status: null, retryAfterMs: null, error: (e as Error).message.slice(0, 300), latencyMs: 0 };
      }
    } else if (!p.destination) {
      outcome = { ok: false, retryable: false, status: null, retryAfterMs: null, error: 'the contact method was removed or disabled', latencyMs: 0 };
    } else {
      const notifier = NOTIFIERS[p.channel];
      try {
        outcome = notifier
          ? await notifier.send(p.message, p.destination, channels)
          : { ok: false, retryable: false, status: null, retryAfterMs: null, error: `unknown channel ${p.channel}`, latencyMs: 0 };
      } catch (e) {
        outcome = { ok: false, retryable: true, status: null, retryAfterMs: null, error: (e as Error).message.slice(0, 300), latencyMs: 0 };
      }
    }
    const finishedAt = clock.now();
    this.#finished.push({ prepared: p, outcome, finishedAt });
    this.#deps.onDelivery?.({ deliveryId: p.row.id, channel: p.row.channel, dueAt: p.row.due_at, finishedAt, attempt: p.row.attempts, outcome });
    this.#delivered?.inc({ channel: p.row.channel, result: outcome.ok ? 'sent' : 'cancelled' in outcome ? 'cancelled' : outcome.retryable ? 'retry' : 'failed' });
    if (outcome.ok) this.#lateness?.observe(Math.max(0, finishedAt - p.row.due_at) / 1000, { channel: p.row.channel });
    // Not at once: sends finish one by one, and a transaction per result was most of the cost.
    const bulk = isBulk(p.row);
    if (this.#flushTimer && this.#flushIsBulk && !bulk) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = null;
    }
    if (!this.#flushTimer) {
      this.#flushIsBulk = bulk;
      this.#flushTimer = setTimeout(() => {
        this.#flushTimer = null;
        void this.flush();
      }, bulk ? this.#o.bulkFlushDelayMs : this.#o.flushDelayMs);
      this.#flushTimer.unref?.();
    }
  }

  /** Writes finished attempts back, many per transaction (group commit). */
  flush(): Promise<void> {
    if (this.#flushing) return this.#flushing;
    const run = async () => {
      while (this.#finished.length > 0) {
        const batch = this.#finished.splice(0, 500);
        try {
          await this.#deps.store.transaction((tx) => this.#finish(tx, batch));
        } catch (e) {
          // The database is away: keep the results and try again; the leases cover us.
          this.#finished.unshift(...batch);
          if (!this.#deps.store.health.reportFailure(e)) this.#deps.log.error('worker', 'could not record delivery results; retrying', { error: (e as Error).message });
          await sleep(500);
          if (!this.#running && this.#loop !== null) return;
        }
      }
    };
    this.#flushing = run().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** Waits until every finished attempt is written, including ones that finish meanwhile. */
  async #flushAll(): Promise<void> {
    while (this.#flushing || this.#finished.length > 0) await (this.#flushing ?? this.flush());
  }

  /** Writes a batch of results (delivery-results.ts). */
  #finish(tx: Tx, batch: readonly Finished[]): Promise<void> {
    return writeDeliveryResults(tx, this.#deps.store, this.#ctx('notify'), this.id, batch, this.#o);
  }

  /**
   * Runs everything due now to completion: timers, sends, result writes. For tests with a
   * manual clock, and for one-shot use.
   */
  async drain(maxRounds = 100): Promise<void> {
    for (let round = 0; round < maxRounds; round += 1) {
      const t = await this.runTimers();
      const d = await this.pumpDeliveries();
      // Sends a timer group started may have held every slot: once they finish, look again.
      const waited = this.#inflight.size > 0;
      while (this.#inflight.size > 0) await Promise.all([...this.#inflight]);
      await this.#flushAll();
      if (t === 0 && d === 0 && !waited) return;
    }
  }

  /**
   * Graceful stop (SIGTERM): see the class comment. Sends in flight are waited for (each ends
   * within `sendTimeoutMs`, and the default grace is longer) and their results written, so a
   * stop never re-sends what it sent. A send still in flight when the grace runs out keeps its
   * claim: only its lease expiring hands it to another instance, which sends it again (same
   * delivery id) if this process exits before writing the result; released at once, it would
   * be sent again at once.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#interrupt?.();
    await this.#loop;
    const { store, clock, log } = this.#deps;
    const deadline = Date.now() + this.#o.stopGraceMs;
    const settled = await Promise.race([this.#settle().then(() => true), sleep(this.#o.stopGraceMs).then(() => false)]);
    // Results of sends that finished get at least a second to be written, even at the deadline.
    await Promise.race([this.#flushAll(), sleep(Math.max(1_000, deadline - Date.now()))]);
    const timers = await releaseTimers(store, this.id).catch(() => 0);
    const deliveries = await releaseDeliveries(store, this.id, clock.now()).catch(() => 0);
    if (timers || deliveries) log.info('worker', 'released claims on stop', { timers, deliveries });
    if (!settled) {
      log.warn('worker', 'stopped with sends still in flight after the grace period; they stay claimed until their lease runs out, then are retried with the same delivery id', {
        inFlight: this.#inflight.size, graceMs: this.#o.stopGraceMs, leaseMs: this.#o.deliveryLeaseMs,
      });
    }
  }

  /** Until nothing is in flight, including sends that in-flight work starts meanwhile. */
  async #settle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all([...this.#inflight]);
  }
}
