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
import { insertBurst, seedEscalations } from './lib/escalation-fixture.mjs';

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
const mods = { ensureDefaults, snapshotPolicy, startEscalation };
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

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];

async function run(label, openStores) {
  const rx = await receiver();
  const stores = await openStores();
  await migrateToLatest(stores[0].dialect);
  const seedStart = Date.now();
  await seedEscalations(stores[0], mods, { hookUrl: rx.url, due: DUE, pending: PENDING, dueAt: Date.now() });
  const burstAt = Date.now() + 3_000;
  await insertBurst(stores[0], { due: DUE, at: burstAt });
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
