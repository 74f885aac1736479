// Escalation benchmark (issue 4): 100k pending timers, 10k escalation steps falling due in one
// second, on SQLite (one instance) and on PostgreSQL (two worker instances, each its own
// process), with the webhook receiver in a process of its own. Each variant runs twice:
// "1 s" spreads the 10k due times evenly over one second (the issue's wording); "same ms"
// puts them all in one millisecond (a stress row). Reports, per variant, lateness = due time
// of the step → its notification received (p50/p99/max), missing steps, duplicates (a step
// notified more than once, and webhook-ids received more than once), when the last one
// arrived, and the workers' CPU per step (from just before the burst is written to the end).
// Env: BENCH_ESC_DUE (default 10000), BENCH_ESC_PENDING (default 90000),
//      BENCH_ESC_VARIANTS (default "sqlite-1s,sqlite-same-ms,postgres-1s,postgres-same-ms,floor-1s,floor2-1s";
//      "floor" = the same 10k-over-1-s burst sent by 1 or 2 Node.js processes that do nothing else,
//      bench/lib/send-floor.mjs: the best lateness any Node.js sender gets on this machine),
//      BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres; "" skips PostgreSQL),
//      FB_ROOT (a Firebreak build other than dist/), BENCH_WORKER_NODE_ARGS (node flags of the workers).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { message, startChild } from './lib/child.mjs';
import { insertBurst, seedEscalations } from './lib/escalation-fixture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = process.env.FB_ROOT ?? join(here, '..', 'dist');
if (!existsSync(join(root, 'app', 'paging.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const { openStore, migrateToLatest } = await import(join(root, 'store/index.js'));
const { ensureDefaults } = await import(join(root, 'domain/bootstrap.js'));
const { snapshotPolicy, startEscalation } = await import(join(root, 'domain/escalation/index.js'));
const mods = { ensureDefaults, snapshotPolicy, startEscalation };

const DUE = Number(process.env.BENCH_ESC_DUE ?? 10_000);
const PENDING = Number(process.env.BENCH_ESC_PENDING ?? 90_000);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const VARIANTS = (process.env.BENCH_ESC_VARIANTS ?? 'sqlite-1s,sqlite-same-ms,postgres-1s,postgres-same-ms,floor-1s,floor2-1s').split(',').map((v) => v.trim());
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the worker processes.
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallMs = () => performance.timeOrigin + performance.now();

const children = new Set();
const track = (child) => { children.add(child); child.on('exit', () => children.delete(child)); return child; };
const watchdog = setTimeout(() => { console.error('escalation: timed out'); for (const c of children) c.kill('SIGKILL'); process.exit(1); }, 20 * 60_000);
watchdog.unref();

function ask(child, type, reply = type) {
  return new Promise((resolve) => {
    const on = (m) => { if (m?.type === reply) { child.off('message', on); resolve(m); } };
    child.on('message', on);
    child.send({ type });
  });
}

/** Forks a bench/lib script and waits for its first IPC message of `type` (see lib/child.mjs: fails fast). */
async function forkChild(script, type, options = {}) {
  const child = track(fork(join(here, 'lib', script), [], { ...options, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
  const started = await startChild(child, { name: `bench/lib/${script}`, ready: message(type), timeoutMs: 60_000 });
  child.expectExit = started.expectExit;
  return { value: started.value, child };
}

async function startReceiver() {
  const { value, child } = await forkChild('escalation-receiver.mjs', 'url');
  return { url: value.url, child };
}

async function startWorker(databaseUrl, instance) {
  const { child } = await forkChild('escalation-worker.mjs', 'ready', { env: { ...process.env, DATABASE_URL: databaseUrl, INSTANCE_ID: instance, FB_ROOT: root }, execArgv: WORKER_NODE_ARGS });
  return child;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];

async function run(variant, databaseUrl, instances) {
  const spreadMs = variant.endsWith('-1s') ? 1000 : 0;
  const rx = await startReceiver();
  const store = openStore(databaseUrl, { poolSize: 4 });
  await migrateToLatest(store.dialect);
  const seedStart = Date.now();
  await seedEscalations(store, mods, { hookUrl: rx.url, due: DUE, pending: PENDING, dueAt: Date.now() });
  const workers = [];
  for (let i = 0; i < instances; i += 1) workers.push(await startWorker(databaseUrl, `bench-${i}`));
  // Far enough ahead that inserting the burst is done before the first step falls due.
  await Promise.all(workers.map((w) => ask(w, 'mark', 'marked')));
  const at = Date.now() + 2_000;
  const dueAt = await insertBurst(store, { due: DUE, at, spreadMs });
  if (Date.now() >= at) console.warn(`${variant}: inserting the burst took longer than its 2 s lead; lateness includes it`);
  console.log(`${variant}: seeded ${DUE + PENDING} timers (${DUE} due ${spreadMs ? `over ${spreadMs} ms` : 'in the same millisecond'}) in ${((Date.now() - seedStart) / 1000).toFixed(1)} s; ${instances} worker process(es)`);
  const deadline = Date.now() + 180_000;
  while ((await ask(rx.child, 'count')).count < DUE && Date.now() < deadline) await sleep(100);
  await sleep(1_000); // late duplicates, if any
  for (const w of workers) w.expectExit();
  const stopped = await Promise.all(workers.map((w) => ask(w, 'stop', 'stopped')));
  const { arrivals } = await ask(rx.child, 'dump');
  rx.child.expectExit();
  rx.child.kill();
  await store.close();
  return summarise({ variant, instances, pending: PENDING, arrivals, dueAt, at, stopped });
}

/** One result row from the receiver's arrivals: lateness of each step's first notification, missing steps, repeats, sender CPU. */
function summarise({ variant, instances, pending, arrivals, dueAt, at, stopped }) {
  const first = new Map();
  const perIncident = new Map();
  const perDelivery = new Map();
  for (const [incidentId, deliveryId, arrivedAt] of arrivals) {
    if (!incidentId || !dueAt.has(incidentId)) continue;
    if (!first.has(incidentId)) first.set(incidentId, arrivedAt);
    perIncident.set(incidentId, (perIncident.get(incidentId) ?? 0) + 1);
    perDelivery.set(deliveryId, (perDelivery.get(deliveryId) ?? 0) + 1);
  }
  const late = [...first].map(([id, arrivedAt]) => arrivedAt - dueAt.get(id)).sort((a, b) => a - b);
  const cpuMs = stopped.reduce((a, s) => a + s.cpuMs, 0);
  const result = {
    variant, instances, due: DUE, pending, received: arrivals.length, missing: DUE - first.size,
    duplicate_pages: [...perIncident.values()].filter((n) => n > 1).length,
    duplicate_ids: [...perDelivery.values()].filter((n) => n > 1).length,
    p50_ms: +pct(late, 0.5).toFixed(1), p99_ms: +pct(late, 0.99).toFixed(1), max_ms: +(late.at(-1) ?? 0).toFixed(1),
    last_after_first_due_s: +(((Math.max(...first.values()) - at) / 1000)).toFixed(2),
    worker_cpu_us_per_step: Math.round((cpuMs * 1000) / DUE),
  };
  console.log(JSON.stringify(result));
  return result;
}

/**
 * The floor: the same burst and receiver, sent by bench/lib/send-floor.mjs processes that do
 * nothing else (no database, no claims). What any Node.js sender gets on this machine.
 */
async function runFloor(variant, processes) {
  const rx = await startReceiver();
  const senders = [];
  for (let i = 0; i < processes; i += 1) {
    const { child } = await forkChild('send-floor.mjs', 'ready');
    senders.push(child);
  }
  const at = Date.now() + 1_000;
  const dueAt = new Map();
  const items = Array.from({ length: DUE }, (_, i) => {
    const id = `inc_floor_${i}`;
    const due = at + Math.floor((i * 1000) / DUE);
    dueAt.set(id, due);
    return [id, due];
  });
  senders.forEach((child, k) => child.send({ type: 'burst', url: rx.url, items: items.filter((_, i) => i % processes === k) }));
  const deadline = Date.now() + 60_000;
  while ((await ask(rx.child, 'count')).count < DUE && Date.now() < deadline) await sleep(100);
  for (const c of [rx.child, ...senders]) c.expectExit();
  const stopped = await Promise.all(senders.map((c) => ask(c, 'stop', 'stopped')));
  const { arrivals } = await ask(rx.child, 'dump');
  rx.child.kill();
  for (const c of senders) c.kill();
  return summarise({ variant, instances: processes, pending: 0, arrivals, dueAt, at, stopped });
}

console.log(`escalation benchmark — ${new Date().toISOString()} — ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const results = [];
for (const variant of VARIANTS) {
  if (variant.startsWith('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-esc-'));
    try {
      results.push(await run(variant, `sqlite:${join(dir, 'bench.db')}`, 1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else if (variant === 'floor-1s' || variant === 'floor2-1s') {
    results.push(await runFloor(variant, variant === 'floor2-1s' ? 2 : 1));
  } else if (variant.startsWith('postgres') && PG_URL) {
    const name = `firebreak_bench_esc_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    try {
      results.push(await run(variant, url.toString(), 2));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
}
console.log(`\nlateness = due time of the step → its notification received by the receiver process; load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.table(results);
console.log('alert-in → first notification against Alertmanager: bench/first-page.mjs.');
for (const c of children) { c.expectExit?.(); c.kill('SIGKILL'); }
process.exit(results.some((r) => r.missing > 0) ? 1 : 0);
