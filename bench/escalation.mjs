// Escalation benchmark (issue 4): 100k pending timers, 10k of them due in the same second, on
// SQLite (one instance) and PostgreSQL (two worker instances on one database, in this process).
// Reports p50/p99/max lateness (due → request received by a local webhook receiver), total
// time to drain the burst, and duplicates (webhook-ids seen more than once).
// Env: BENCH_ESC_DUE (default 10000), BENCH_ESC_PENDING (default 90000),
//      BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres; "" skips PostgreSQL).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const dist = (p) => join(here, '..', 'dist', p);
if (!existsSync(dist('app/paging.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const { openStore, migrateToLatest } = await import(dist('store/index.js'));
const { createPagingRuntime } = await import(dist('app/paging.js'));
const { ensureDefaults } = await import(dist('domain/bootstrap.js'));
const { snapshotPolicy, startEscalation } = await import(dist('domain/escalation/index.js'));
const { systemClock } = await import(dist('core/clock.js'));
const { silentLogger } = await import(dist('core/logger.js'));
const { MetricsRegistry } = await import(dist('observability/metrics.js'));

const DUE = Number(process.env.BENCH_ESC_DUE ?? 10_000);
const PENDING = Number(process.env.BENCH_ESC_PENDING ?? 90_000);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function receiver() {
  const seen = new Map();
  const times = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      times.push(Date.now());
      res.writeHead(200).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/hook`, seen, times, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) })));
}

async function seed(store, hookUrl) {
  const dueAt = Date.now();
  const ctx = { actor: { type: 'system', name: 'bench' }, clock: systemClock, log: silentLogger, requestId: 'bench', store };
  await ensureDefaults({ ctx, input: { adminEmail: 'admin@bench.test' } });
  const now = Date.now();
  const db = store.db;
  await db.insertInto('users').values({ id: 'usr_bench', email: 'oncall@bench.test', name: 'On call', role: 'responder', password_hash: null, time_zone: 'UTC', disabled: 0, managed_by: null, created_at: now, updated_at: now }).execute();
  await db.insertInto('contact_methods').values({ id: 'cm_bench', user_id: 'usr_bench', kind: 'webhook', label: 'w', address: hookUrl, verified: 1, secret: 'whsec_' + Buffer.from('bench-secret-bench-secret').toString('base64'), disabled_reason: null, created_at: now, updated_at: now }).execute();
  const policy = { id: 'pol_bench', name: 'bench', levels: [{ delaySeconds: 0, targets: [{ type: 'user', id: 'usr_bench' }] }], repeat: 0, repeatDelaySeconds: 300, ackTimeoutSeconds: null, catchUp: 'late-but-once' };
  await db.insertInto('escalation_policies').values({ id: policy.id, team_id: null, name: 'bench', levels: JSON.stringify(policy.levels), repeat: 0, repeat_delay_seconds: 300, ack_timeout_seconds: null, catch_up: 'late-but-once', condition: null, created_at: now, updated_at: now, version: 1 }).execute();
  const snapshot = JSON.stringify(snapshotPolicy(policy, now));
  const state = JSON.stringify(startEscalation(snapshotPolicy(policy, now), { now: dueAt, severity: 'SEV1' }));
  const B = 400;
  for (let start = 0; start < DUE; start += B) {
    const ids = Array.from({ length: Math.min(B, DUE - start) }, (_, k) => `inc_bench${String(start + k).padStart(8, '0')}`);
    await store.transaction(async (tx) => {
      await tx.insertInto('incidents').values(ids.map((id, k) => ({ id, number: 1_000_000 + start + k, title: `bench ${start + k}`, summary: '', severity: 'SEV1', status: 'triggered', service_id: null, is_drill: 0, created_by: null, detected_at: now, declared_at: now, acknowledged_at: null, mitigated_at: null, resolved_at: null, updated_at: now, version: 1 }))).execute();
      await tx.insertInto('incident_escalations').values(ids.map((id) => ({ incident_id: id, policy_id: policy.id, snapshot, state, status: 'triggered', generation: 1, created_at: now, updated_at: now }))).execute();
    });
  }
  const far = dueAt + 3 * 86_400_000;
  for (let start = 0; start < PENDING; start += 1000) {
    const n = Math.min(1000, PENDING - start);
    await db.insertInto('timers').values(Array.from({ length: n }, (_, k) => ({ id: `tmr_p${start + k}`, key: `bench:pending:${start + k}`, kind: 'escalate', payload: '{"incidentId":"none"}', run_at: far + k, attempts: 0, last_error: null, locked_by: null, locked_until: null, generation: 1, created_at: now }))).execute();
  }
}

/** The burst: one escalation timer per seeded incident, all due at `burstAt`. */
async function insertBurst(store, burstAt) {
  const now = Date.now();
  for (let start = 0; start < DUE; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, DUE - start) }, (_, k) => `inc_bench${String(start + k).padStart(8, '0')}`);
    await store.db.insertInto('timers').values(ids.map((id) => ({ id: `tmr_${id}`, key: `escalate:${id}`, kind: 'escalate', payload: JSON.stringify({ incidentId: id }), run_at: burstAt, attempts: 0, last_error: null, locked_by: null, locked_until: null, generation: 1, created_at: now }))).execute();
  }
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];

async function run(label, openStores) {
  const rx = await receiver();
  const stores = await openStores();
  await migrateToLatest(stores[0].dialect);
  const seedStart = Date.now();
  await seed(stores[0], rx.url);
  const burstAt = Date.now() + 3_000;
  await insertBurst(stores[0], burstAt);
  console.log(`${label}: seeded ${DUE + PENDING} timers (${DUE} due at once) in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
  const runtimes = [];
  for (const [i, store] of stores.entries()) {
    const rt = await createPagingRuntime({
      store, clock: systemClock, log: process.env.BENCH_DEBUG ? (await import(dist('core/logger.js'))).jsonLogger() : silentLogger, metrics: new MetricsRegistry(), instanceId: `bench-${i}`,
      config: { publicUrl: 'http://firebreak.bench', outboundAllow: '127.0.0.1/32', smtpFrom: 'x <x@bench.test>', auditorOverdueSeconds: 60, worker: true },
      workerOptions: { sendConcurrency: 256, batchSize: 200, timerConcurrency: store.dialect.name === 'postgres' ? 6 : 1 },
    });
    rt.start();
    runtimes.push(rt);
  }
  const deadline = Date.now() + 180_000;
  while (rx.seen.size < DUE && Date.now() < deadline) {
    await sleep(50);
  }
  await sleep(500);
  for (const rt of runtimes) await rt.stop();
  const late = rx.times.map((t) => t - burstAt).sort((a, b) => a - b);
  const dups = [...rx.seen.values()].filter((n) => n > 1).length;
  const result = {
    label, due: DUE, pending: PENDING, received: rx.times.length, distinct: rx.seen.size, missing: DUE - rx.seen.size, duplicates: dups,
    p50_ms: pct(late, 0.5), p99_ms: pct(late, 0.99), max_ms: late.at(-1), drain_s: +((late.at(-1) ?? 0) / 1000).toFixed(2),
  };
  console.log(JSON.stringify(result));
  await rx.close();
  for (const s of stores) await s.close();
  return result;
}

const results = [];
const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-esc-'));
try {
  results.push(await run('sqlite, 1 instance', async () => [openStore(`sqlite:${join(dir, 'bench.db')}`)]));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (PG_URL) {
  const name = `firebreak_bench_esc_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    results.push(await run('postgres, 2 instances', async () => [openStore(url.toString(), { poolSize: 8 }), openStore(url.toString(), { poolSize: 8 })]));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
console.log('\nlateness = due → request received by the local receiver');
console.table(results);
console.log('alert-in → first notification against Alertmanager: not measured by this benchmark (see BENCHMARKS.md).');
