import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatabaseClock, type DatabaseClock } from '../../src/app/clock-sync.js';
import { createPagingRuntime, type PagingRuntime } from '../../src/app/paging.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { ensureDefaults } from '../../src/domain/bootstrap.js';
import type { Ctx } from '../../src/domain/context.js';
import { declareIncident } from '../../src/domain/incidents/declare-incident.js';
import { MetricsRegistry } from '../../src/observability/metrics.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { startReceiver } from './receivers.js';

/**
 * Issue 11, item 4: two instances on one PostgreSQL, the second one's host clock 30 s ahead.
 * The first opens the incident and pages level 1 (writing level 2's timer on its clock); the
 * second, running its worker, must not page level 2 before it is due. SQLite is single-instance,
 * so the process clock is the only clock there (no test).
 */
const SKEW_MS = 30_000;
const LEVEL2_DELAY_S = 2;

if (DIALECTS.includes('postgres')) describe('a host clock 30 s ahead of the database, on postgres', () => {
  let db: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let level2: Promise<number>;
  const runtimes: PagingRuntime[] = [];
  let skewed: DatabaseClock;

  const runtime = async (clock: Clock, instanceId: string) => {
    const r = await createPagingRuntime({
      store: db.store, clock, log: silentLogger, metrics: new MetricsRegistry(), instanceId,
      config: { publicUrl: 'http://firebreak.test', outboundAllow: '127.0.0.1/32', smtpFrom: 'x <x@example.test>', auditorOverdueSeconds: 60, worker: false },
    });
    runtimes.push(r);
    return r;
  };

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    let arrived!: (at: number) => void;
    level2 = new Promise((r) => (arrived = r));
    receiver = await startReceiver((req) => {
      if (req.path === '/level2') arrived(req.at);
      return { status: 200 };
    });
    const ctx: Ctx = { actor: { type: 'system', name: 'test' }, clock: systemClock, log: silentLogger, requestId: 't', store: db.store };
    await ensureDefaults({ ctx, input: { adminEmail: 'admin@example.test' } });
    const now = Date.now();
    for (const [id, path] of [['usr_first', '/level1'], ['usr_second', '/level2']] as const) {
      await db.store.db.insertInto('users').values({ id, email: `${id}@example.test`, name: id, role: 'responder', password_hash: null, time_zone: 'UTC', disabled: 0, managed_by: null, created_at: now, updated_at: now }).execute();
      await db.store.db.insertInto('contact_methods').values({ id: `cm_${id}`, user_id: id, kind: 'webhook', label: 'w', address: `${receiver.url}${path}`, verified: 1, secret: null, disabled_reason: null, created_at: now, updated_at: now }).execute();
    }
    const levels = [{ delaySeconds: 0, targets: [{ type: 'user', id: 'usr_first' }] }, { delaySeconds: LEVEL2_DELAY_S, targets: [{ type: 'user', id: 'usr_second' }] }];
    await db.store.db.insertInto('escalation_policies').values({ id: 'pol_1', team_id: null, name: 'p', levels: JSON.stringify(levels), repeat: 0, repeat_delay_seconds: 300, ack_timeout_seconds: null, catch_up: 'late-but-once', condition: null, created_at: now, updated_at: now, version: 1 }).execute();
    await db.store.db.updateTable('severities').set({ escalation_policy_id: 'pol_1' }).execute();
  });
  afterAll(async () => {
    skewed?.stop();
    for (const r of runtimes) await r.stop();
    await receiver?.close();
    await db?.drop();
  });

  it('measures the offset to the database clock and does not fire level 2 early', async () => {
    const ahead: Clock = { now: () => Date.now() + SKEW_MS };
    const warnings: Record<string, unknown>[] = [];
    skewed = (await startDatabaseClock(db.store, ahead, { ...silentLogger, warn: (_c, _m, data) => void warnings.push(data ?? {}) }))!;
    expect(skewed).not.toBeNull();
    // Named at start: the host's clock is off.
    expect(warnings).toHaveLength(1);
    expect(Math.abs(Number(warnings[0]!.offsetMs) + SKEW_MS)).toBeLessThan(100);
    // The database runs on this machine's clock: the correction is the skew, to within a round trip.
    expect(Math.abs(skewed.clock.offsetMs + SKEW_MS)).toBeLessThan(100);

    const first = await runtime(systemClock, 'first');
    const second = await runtime(skewed.clock, 'second');
    const ctx: Ctx = { actor: { type: 'system', name: 'test' }, clock: systemClock, log: silentLogger, requestId: 't', store: db.store, incidentHooks: [first.hook] };
    const incident = await declareIncident({ ctx, input: { title: 'Skewed', severity: 'SEV1' } });
    await first.worker.drain();
    expect(receiver.received.map((r) => r.path)).toEqual(['/level1']);
    const timer = await db.store.db.selectFrom('timers').selectAll().where('key', '=', `escalate:${incident.id}`).executeTakeFirstOrThrow();

    // The instance whose host is 30 s ahead runs the worker from now on.
    second.worker.start();
    const at = await level2;
    // Before the fix it fired at once, ~2 s early; allow a few ms of measuring error.
    expect(at).toBeGreaterThanOrEqual(timer.run_at - 50);
    expect(receiver.received.filter((r) => r.path === '/level2')).toHaveLength(1);
  }, 30_000);
});
