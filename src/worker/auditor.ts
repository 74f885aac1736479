import { sql } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { Gauge, type MetricsRegistry } from '../observability/metrics.js';
import type { Store } from '../store/index.js';

export interface AuditReport {
  checkedAt: number;
  /** Timers whose run_at passed more than the threshold ago and that are still there. */
  overdueTimers: number;
  /** Incidents being paged (triggered, escalation not exhausted) with no escalation timer at all. */
  missingTimers: number;
  oldestOverdueMs: number;
  sample: string[];
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
  #last: AuditReport | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(deps: { store: Store; clock: Clock; log: Logger; overdueMs: number; metrics?: MetricsRegistry }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#overdueMs = deps.overdueMs;
    deps.metrics?.register(
      new Gauge('firebreak_overdue_escalations', 'Escalation timers overdue beyond the threshold, plus paging incidents with no timer (last audit).', (g) => {
        g.set(this.#last ? this.#last.overdueTimers + this.#last.missingTimers : 0);
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
    const report: AuditReport = {
      checkedAt: now,
      overdueTimers: Number(overdueCount.n),
      missingTimers: missing.length,
      oldestOverdueMs: overdue[0] ? now - overdue[0].run_at : 0,
      sample: [...overdue.map((t) => t.key), ...missing.map((m) => `escalate:${m.incident_id} (no timer)`)].slice(0, 10),
    };
    if ((report.overdueTimers || report.missingTimers) && !(this.#last?.overdueTimers || this.#last?.missingTimers)) {
      this.#log.error('worker', 'escalation auditor: escalations are overdue', { ...report });
    }
    this.#last = report;
    return report;
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

  start(intervalMs: number): void {
    const run = () => void this.check().catch((e) => this.#log.error('worker', 'escalation audit failed', { error: (e as Error).message }));
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
