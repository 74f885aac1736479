import { sql } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { Gauge, type MetricsRegistry } from '../observability/metrics.js';
import type { Store } from '../store/index.js';
import { BULK_PRIORITY } from './delivery-queue.js';

export interface AuditReport {
  checkedAt: number;
  /** Timers whose run_at passed more than the threshold ago and that are still there. */
  overdueTimers: number;
  /** Incidents being paged (triggered, escalation not exhausted) with no escalation timer at all. */
  missingTimers: number;
  oldestOverdueMs: number;
  sample: string[];
  /** Deliveries that failed for good (a 4xx from the receiver, attempts used up, contact gone) within the window. */
  failedDeliveries: number;
  /** Deliveries not sent although they fell due more than the retrying threshold ago. */
  retryingDeliveries: number;
  /** A few of them: `dlv_… webhook: HTTP 404`. */
  deliverySample: string[];
}

export interface AuditorThresholds {
  /** A timer this late is overdue. */
  overdueMs: number;
  /** A delivery unsent this long after it fell due is reported (default 5 min). */
  retryingMs?: number;
  /** A delivery that failed for good is reported this long (default 1 h). */
  failedWindowMs?: number;
}

/**
 * Watches the watcher: an escalation that should have fired and did not is the failure nobody
 * notices until a customer does (grafana/oncall#724, #1206). Runs from every worker instance;
 * cheap indexed queries, so it can stay switched on. Timers younger than the threshold are
 * ignored so an escalation being processed right now is not a false alarm (grafana/oncall#2913).
 */
export class EscalationAuditor {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #overdueMs: number;
  readonly #retryingMs: number;
  readonly #failedWindowMs: number;
  #last: AuditReport | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(deps: { store: Store; clock: Clock; log: Logger; metrics?: MetricsRegistry } & AuditorThresholds) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#overdueMs = deps.overdueMs;
    this.#retryingMs = deps.retryingMs ?? 300_000;
    this.#failedWindowMs = deps.failedWindowMs ?? 3_600_000;
    deps.metrics?.register(
      new Gauge('firebreak_overdue_escalations', 'Escalation timers overdue beyond the threshold, plus paging incidents with no timer (last audit).', (g) => {
        g.set(this.#last ? this.#last.overdueTimers + this.#last.missingTimers : 0);
      }),
    );
    deps.metrics?.register(
      new Gauge('firebreak_delivery_problems', 'Deliveries that failed for good within the window, or are still unsent past the retrying threshold (last audit).', (g) => {
        g.set(this.#last?.failedDeliveries ?? 0, { kind: 'failed' });
        g.set(this.#last?.retryingDeliveries ?? 0, { kind: 'retrying' });
      }),
    );
  }

  get last(): AuditReport | null {
    return this.#last;
  }

  async check(): Promise<AuditReport> {
    const now = this.#clock.now();
    const db = this.#store.db;
    const overdue = await db
      .selectFrom('timers')
      .select(['key', 'run_at'])
      .where('run_at', '<', now - this.#overdueMs)
      .orderBy('run_at')
      .limit(20)
      .execute();
    const overdueCount = await db
      .selectFrom('timers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_at', '<', now - this.#overdueMs)
      .executeTakeFirstOrThrow();
    const missing = await db
      .selectFrom('incident_escalations as e')
      .innerJoin('incidents as i', 'i.id', 'e.incident_id')
      .leftJoin('timers as t', (join) => join.on(sql<boolean>`t.key = 'escalate:' || e.incident_id`))
      .select('e.incident_id')
      .where('e.status', '=', 'triggered')
      .where('i.status', '=', 'triggered')
      .where('t.id', 'is', null)
      .where('e.updated_at', '<', now - this.#overdueMs)
      .limit(20)
      .execute();
    const deliveries = await this.#deliveryProblems(now);
    const report: AuditReport = {
      checkedAt: now,
      overdueTimers: Number(overdueCount.n),
      missingTimers: missing.length,
      oldestOverdueMs: overdue[0] ? now - overdue[0].run_at : 0,
      sample: [...overdue.map((t) => t.key), ...missing.map((m) => `escalate:${m.incident_id} (no timer)`)].slice(0, 10),
      ...deliveries,
    };
    if ((report.overdueTimers || report.missingTimers) && !(this.#last?.overdueTimers || this.#last?.missingTimers)) {
      this.#log.error('worker', 'escalation auditor: escalations are overdue', { ...report });
    }
    if ((report.failedDeliveries || report.retryingDeliveries) && !(this.#last?.failedDeliveries || this.#last?.retryingDeliveries)) {
      this.#log.error('worker', 'escalation auditor: notifications are not getting through', { failed: report.failedDeliveries, retrying: report.retryingDeliveries, sample: report.deliverySample });
    }
    this.#last = report;
    return report;
  }

  /**
   * A page that failed for good (the receiver answered 4xx, the attempts ran out, the contact
   * method is gone) reached nobody, and one still retrying long after it fell due has not yet:
   * both need a person, not only a metric. Failed rows are found through the queue index
   * (status, next_attempt_at: the time of their last attempt); unsent ones are few. The bulk
   * lane (status page subscribers) is left out: one subscriber's dead mailbox or webhook, or a
   * long fan-out, is not an operator's emergency.
   */
  async #deliveryProblems(now: number): Promise<Pick<AuditReport, 'failedDeliveries' | 'retryingDeliveries' | 'deliverySample'>> {
    const db = this.#store.db;
    const failedSince = now - this.#failedWindowMs;
    const retryingSince = now - this.#retryingMs;
    const [failed, retrying] = await Promise.all([
      db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'failed').where('next_attempt_at', '>=', failedSince).where('priority', '<', BULK_PRIORITY).executeTakeFirstOrThrow(),
      db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['pending', 'sending']).where('due_at', '<', retryingSince).where('priority', '<', BULK_PRIORITY).executeTakeFirstOrThrow(),
    ]);
    const failedCount = Number(failed.n);
    const retryingCount = Number(retrying.n);
    if (failedCount === 0 && retryingCount === 0) return { failedDeliveries: 0, retryingDeliveries: 0, deliverySample: [] };
    const sample = await db.selectFrom('deliveries').select(['id', 'channel', 'status', 'attempts', 'last_error'])
      .where((eb) => eb.or([
        eb.and([eb('status', '=', 'failed'), eb('next_attempt_at', '>=', failedSince)]),
        eb.and([eb('status', 'in', ['pending', 'sending']), eb('due_at', '<', retryingSince)]),
      ]))
      .where('priority', '<', BULK_PRIORITY)
      .orderBy('next_attempt_at', 'desc').limit(5).execute();
    return {
      failedDeliveries: failedCount,
      retryingDeliveries: retryingCount,
      deliverySample: sample.map((d) => `${d.id} ${d.channel} ${d.status === 'failed' ? 'failed' : `retrying (${d.attempts} attempts)`}: ${d.last_error ?? 'not sent yet'}`.slice(0, 200)),
    };
  }

  /** For /health: unhealthy while anything is overdue, or when the audit itself stopped running. */
  health(): { ok: boolean; detail: string } {
    const r = this.#last;
    if (!r) return { ok: true, detail: 'not run yet' };
    if (this.#clock.now() - r.checkedAt > Math.max(3 * this.#overdueMs, 180_000)) return { ok: false, detail: 'the auditor has not run recently' };
    if (r.overdueTimers || r.missingTimers) {
      return { ok: false, detail: `${r.overdueTimers} overdue timer(s), ${r.missingTimers} paging incident(s) without a timer; oldest ${Math.round(r.oldestOverdueMs / 1000)}s late: ${r.sample.join(', ')}` };
    }
    return { ok: true, detail: 'no overdue escalations' };
  }

  /** For /health (`deliveries`): degraded while pages fail for good or keep failing. */
  deliveriesHealth(): { ok: boolean; detail: string; failed?: number; retrying?: number } {
    const r = this.#last;
    if (!r) return { ok: true, detail: 'not run yet' };
    if (!r.failedDeliveries && !r.retryingDeliveries) return { ok: true, detail: 'no failing deliveries', failed: 0, retrying: 0 };
    return {
      ok: false,
      failed: r.failedDeliveries,
      retrying: r.retryingDeliveries,
      detail: `degraded: ${r.failedDeliveries} failed for good in the last ${Math.round(this.#failedWindowMs / 60_000)} min, ${r.retryingDeliveries} unsent more than ${Math.round(this.#retryingMs / 1000)} s after falling due; ${r.deliverySample.join('; ')}`,
    };
  }

  start(intervalMs: number): void {
    const run = () => void this.check().catch((e) => {
      if (!this.#store.health.reportFailure(e)) this.#log.error('worker', 'escalation audit failed', { error: (e as Error).message });
    });
    run();
    this.#timer = setInterval(run, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

/**
 * Outbound heartbeat (a dead man's switch): pings an independent receiver every interval while
 * this instance's worker loop is alive and the auditor is happy. Silence is the alarm.
 */
export function startHeartbeat(deps: {
  url: string;
  intervalMs: number;
  log: Logger;
  healthy: () => boolean;
}): { stop(): void } {
  const beat = async () => {
    if (!deps.healthy()) return;
    try {
      const res = await fetch(deps.url, { method: 'POST', body: '', signal: AbortSignal.timeout(10_000), redirect: 'manual' });
      if (!res.ok) deps.log.warn('worker', 'heartbeat receiver answered an error', { status: res.status });
    } catch (e) {
      deps.log.warn('worker', 'heartbeat failed', { error: (e as Error).message });
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), deps.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
