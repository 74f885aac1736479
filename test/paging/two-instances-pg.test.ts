import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPagingRuntime } from '../../src/app/paging.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { ensureDefaults } from '../../src/domain/bootstrap.js';
import type { Ctx } from '../../src/domain/context.js';
import { declareIncident } from '../../src/domain/incidents/declare-incident.js';
import { MetricsRegistry } from '../../src/observability/metrics.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { startReceiver } from './receivers.js';

/**
 * R3/R4 on PostgreSQL: two worker processes on one database, 1,000 escalation steps due at the
 * same instant. Each must reach the receiver exactly once; after a SIGKILL of one instance
 * mid-burst none may be missing, and the only duplicates are sends that instance had in flight,
 * carrying the same webhook-id.
 */
const WORKER_OPTIONS = { timerLeaseMs: 3_000, sendTimeoutMs: 2_000, deliveryLeaseMs: 3_000, stopGraceMs: 500 };

function startChild(url: string, id: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/paging/fixtures/worker-child.ts', url, id, JSON.stringify(WORKER_OPTIONS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`worker ${id} exited with ${code}`)));
  });
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Defined only when PostgreSQL is in the run (FIREBREAK_TEST_DIALECTS), so nothing is skipped.
if (DIALECTS.includes('postgres')) describe('two worker instances on PostgreSQL', () => {
  let db: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const children: ChildProcess[] = [];
  let ctx: (clock: ManualClock) => Ctx;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    receiver = await startReceiver();
    const runtime = await createPagingRuntime({
      store: db.store, clock: new ManualClock(), log: silentLogger, metrics: new MetricsRegistry(),
      config: { publicUrl: 'http://firebreak.test', outboundAllow: '127.0.0.1/32', smtpFrom: 'x <x@example.test>', auditorOverdueSeconds: 60, worker: false },
    });
    ctx = (clock) => ({ actor: { type: 'system', name: 'test' }, clock, log: silentLogger, requestId: 't', store: db.store, incidentHooks: [runtime.hook] });
    await ensureDefaults({ ctx: ctx(new ManualClock()), input: { adminEmail: 'admin@example.test' } });
    const now = Date.now();
    await db.store.db.insertInto('users').values({ id: 'usr_oncall', email: 'oncall@example.test', name: 'On call', role: 'responder', password_hash: null, time_zone: 'UTC', disabled: 0, managed_by: null, created_at: now, updated_at: now }).execute();
    await db.store.db.insertInto('escalation_policies').values({ id: 'pol_1', team_id: null, name: 'p', levels: JSON.stringify([{ delaySeconds: 0, targets: [{ type: 'user', id: 'usr_oncall' }] }]), repeat: 0, repeat_delay_seconds: 300, ack_timeout_seconds: null, catch_up: 'late-but-once', condition: null, created_at: now, updated_at: now, version: 1 }).execute();
    await db.store.db.updateTable('severities').set({ escalation_policy_id: 'pol_1' }).execute();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await receiver?.close();
    await db?.drop();
  });

  /** Opens `n` incidents whose first step is due at `dueAt`, paging a webhook at `path`. */
  async function burst(n: number, path: string, dueAt: number): Promise<void> {
    await db.store.db.deleteFrom('contact_methods').execute();
    await db.store.db.insertInto('contact_methods').values({ id: `cm_${path.slice(1)}`, user_id: 'usr_oncall', kind: 'webhook', label: 'w', address: `${receiver.url}${path}`, verified: 1, secret: null, disabled_reason: null, created_at: 0, updated_at: 0 }).execute();
    const clock = new ManualClock(dueAt);
    let next = 0;
    const lane = async () => {
      while (next < n) {
        const i = next++;
        await declareIncident({ ctx: ctx(clock), input: { title: `burst ${path} ${i}`, severity: 'SEV1' } });
      }
    };
    await Promise.all(Array.from({ length: 4 }, lane));
  }

  const ids = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => String(r.headers['webhook-id']));

  it('1,000 steps due at once: each delivered exactly once, none missed', async () => {
    const dueAt = Date.now() + 12_000;
    await burst(1000, '/once', dueAt);
    children.push(await startChild(db.url, 'A'), await startChild(db.url, 'B'));
    await until(() => new Set(ids('/once')).size >= 1000, 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const seen = ids('/once');
    expect(new Set(seen).size).toBe(1000);
    expect(seen.length).toBe(1000);
    const late = receiver.received.filter((r) => r.path === '/once').map((r) => r.at - dueAt).sort((a, b) => a - b);
    console.log(`two instances, 1000 steps: p50 ${late[499]} ms, p99 ${late[989]} ms, max ${late[999]} ms late`);
    const sent = await db.store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'sent').executeTakeFirstOrThrow();
    expect(Number(sent.n)).toBe(1000);
    for (const c of children.splice(0)) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  }, 120_000);

  it('SIGKILL of one instance mid-burst: none missed, duplicates only for its in-flight sends, same webhook-id', async () => {
    receiver.setMode((r) => (r.path === '/kill' ? { status: 200, delayMs: 150 } : { status: 200 }));
    const dueAt = Date.now() + 12_000;
    await burst(1000, '/kill', dueAt);
    const a = await startChild(db.url, 'K1');
    const b = await startChild(db.url, 'K2');
    children.push(a, b);
    await until(() => ids('/kill').length >= 300, 60_000);
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));
    const inFlight = new Set(
      (await db.store.db.selectFrom('deliveries').select('id').where('locked_by', '=', 'K1').where('status', '=', 'sending').execute()).map((r) => r.id),
    );
    await until(() => new Set(ids('/kill')).size >= 1000, 60_000);
    // Sends K1 made but had not written back are still `sending` under its name until their
    // lease runs out; then they are sent again (same webhook-id) and recorded.
    const unsent = () => db.store.db.selectFrom('deliveries').select('id').where('status', '!=', 'sent').execute();
    await until(async () => (await unsent()).length === 0, WORKER_OPTIONS.deliveryLeaseMs + 5_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const seen = ids('/kill');
    const counts = new Map<string, number>();
    for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
    const dups = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    console.log(`kill -9 mid-burst: ${counts.size} distinct, ${dups.length} duplicated, ${inFlight.size} in flight at the kill`);
    expect(counts.size).toBe(1000);
    expect(dups.length).toBeLessThanOrEqual(inFlight.size);
    for (const id of dups) expect(inFlight.has(id)).toBe(true);
    const notSent = await db.store.db.selectFrom('deliveries').select('id').where('status', '!=', 'sent').execute();
    expect(notSent).toEqual([]);
    b.kill('SIGTERM');
    await new Promise((r) => b.once('exit', r));
  }, 120_000);
});
