// CPU cost of one escalation step, measured in-process (wall clock on a shared 2-core machine
// is too noisy to compare). Seeds DUE incidents whose escalation timer is due now, then runs the
// worker by hand: first every timer (plan + state + delivery rows + timeline), then every send
// and result write. The webhook receiver runs in a child process so its CPU is not counted.
// Reports CPU µs per step for each phase and the SQL statements run per step.
//
//   node bench/lib/escalation-cpu.mjs [sqlite|postgres] [due]        (uses dist/)
//   FB_SRC=1 node --import tsx bench/lib/escalation-cpu.mjs sqlite   (uses src/ directly)
// Env: BENCH_ESC_PENDING (far-future timers, default 20000), BENCH_PG_URL.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import pg from 'pg';
import { seedEscalations, insertBurst } from './escalation-fixture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = process.env.FB_ROOT ?? join(here, '..', '..', process.env.FB_SRC ? 'src' : 'dist');
const mod = (p) => import(join(root, p));
const { openStore, migrateToLatest } = await mod('store/index.js');
const { createPagingRuntime } = await mod('app/paging.js');
const mods = {
  ensureDefaults: (await mod('domain/bootstrap.js')).ensureDefaults,
  ...(await mod('domain/escalation/index.js')),
};
const { systemClock } = await mod('core/clock.js');
const { silentLogger } = await mod('core/logger.js');
const { MetricsRegistry } = await mod('observability/metrics.js');
// BENCH_SEND=noop: webhook sends answer ok at once without any HTTP, so that
// (CPU with real sends) − (CPU with noop sends) is what the HTTP request itself costs.
if (process.env.BENCH_SEND === 'noop') {
  const { NOTIFIERS } = await mod('notify/registry.js');
  NOTIFIERS.webhook = { ...NOTIFIERS.webhook, send: async () => ({ ok: true, status: 200, latencyMs: 0 }) };
}

const dialect = process.argv[2] ?? 'sqlite';
const DUE = Number(process.argv[3] ?? 2000);
const PENDING = Number(process.env.BENCH_ESC_PENDING ?? 20_000);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// Statement counting: better-sqlite3 statements and pg client queries, by SQL text.
const stats = new Map();
let counting = false;
const note = (sql, ms) => {
  if (!counting) return;
  const key = sql.replace(/\s+/g, ' ').replace(/\(\?(, \?)+\)/g, '(?…)').replace(/\$\d+(, \$\d+)*/g, '$…').slice(0, 140);
  const s = stats.get(key) ?? { n: 0, ms: 0 };
  s.n += 1;
  s.ms += ms;
  stats.set(key, s);
};
// BENCH_COUNT_SQL=0 leaves the drivers unwrapped (the wrappers cost some CPU themselves).
const countSql = process.env.BENCH_COUNT_SQL !== '0';
const require = createRequire(import.meta.url);
const Native = require('better-sqlite3');
if (countSql) {
const prepare = Native.prototype.prepare;
Native.prototype.prepare = function (sql, ...rest) {
  const stmt = prepare.call(this, sql, ...rest);
  for (const m of ['run', 'get', 'all', 'iterate']) {
    const f = stmt[m];
    stmt[m] = function (...args) {
      const t = performance.now();
      try {
        return f.apply(this, args);
      } finally {
        note(sql, performance.now() - t);
      }
    };
  }
  return stmt;
};
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const sql = typeof config === 'string' ? config : config?.text;
  if (sql) note(sql, 0);
  return query.call(this, config, ...rest);
};
}

function startReceiver() {
  const child = fork(join(here, 'webhook-receiver.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', (m) => resolve({ url: m.url, stop: () => child.kill() })));
}

// CPU_PROF=dir: a .cpuprofile of each measured phase only (not the seeding).
let session = null;
if (process.env.CPU_PROF) {
  const { Session } = await import('node:inspector/promises');
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
}

// PostgreSQL: the CPU of this database's server backends too (utime + stime from
// /proc/PID/stat of every backend connected to it, per pid, so a connection opened during the
// phase counts from zero), since the server shares the machine's cores with the worker.
let serverTicks = async () => new Map();
async function backendTicks(admin, database) {
  const { readFileSync } = await import('node:fs');
  const { rows } = await admin.query('select pid from pg_stat_activity where datname = $1', [database]);
  const ticks = new Map();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch { /* gone meanwhile */ }
  }
  return ticks;
}
const TICK_MS = 10; // USER_HZ = 100 on Linux

async function measure(label, n, fn) {
  if (session) await session.post('Profiler.start');
  stats.clear();
  counting = true;
  const server0 = await serverTicks();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const server1 = await serverTicks();
  const serverMs = [...server1].reduce((sum, [pid, t]) => sum + (t - (server0.get(pid) ?? 0)), 0) * TICK_MS;
  counting = false;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(process.env.CPU_PROF, `${label.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(profile));
  }
  const statements = [...stats.values()].reduce((a, s) => a + s.n, 0);
  const top = [...stats.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, 12);
  console.log(`\n${label}: ${n} steps, wall ${wall.toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms ` +
    `→ ${((cpu.user + cpu.system) / n).toFixed(0)} µs/step CPU (user ${(cpu.user / n).toFixed(0)}, sys ${(cpu.system / n).toFixed(0)}), ` +
    `${(statements / n).toFixed(2)} SQL statements/step` + (dialect === 'postgres' ? `, database server CPU ${((serverMs * 1000) / n).toFixed(0)} µs/step` : ''));
  for (const [sql, s] of top) console.log(`  ${(s.n / n).toFixed(2).padStart(6)}/step ${s.ms.toFixed(0).padStart(5)} ms  ${sql}`);
  return { cpuUsPerStep: (cpu.user + cpu.system) / n, serverUsPerStep: (serverMs * 1000) / n, wallMs: wall, statementsPerStep: statements / n };
}

async function main() {
  const rx = await startReceiver();
  let store;
  let cleanup;
  if (dialect === 'postgres') {
    const name = `firebreak_cpu_esc_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    store = openStore(url.toString(), { poolSize: 8 });
    serverTicks = () => backendTicks(admin, name);
    cleanup = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-cpu-esc-'));
    store = openStore(`sqlite:${join(dir, 'bench.db')}`);
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    await migrateToLatest(store.dialect);
    await seedEscalations(store, mods, { hookUrl: rx.url, due: DUE, pending: PENDING, dueAt: Date.now() });
    await insertBurst(store, { due: DUE, at: Date.now() });
    const rt = await createPagingRuntime({
      store, clock: systemClock, log: silentLogger, metrics: new MetricsRegistry(), instanceId: 'cpu-0',
      config: { publicUrl: 'http://firebreak.bench', outboundAllow: '127.0.0.1/32', smtpFrom: 'x <x@bench.test>', auditorOverdueSeconds: 60, worker: true },
      // BENCH_WORKER_OPTIONS: JSON merged into the worker options (group sizes, concurrency).
      workerOptions: { sendConcurrency: 256, batchSize: 200, ...JSON.parse(process.env.BENCH_WORKER_OPTIONS ?? '{}') },
    });
    const w = rt.worker;
    const timers = await measure(`${dialect} timers`, DUE, async () => {
      while ((await w.runTimers()) > 0);
    });
    const sends = await measure(`${dialect} sends+results`, DUE, () => w.drain(1000));
    const sent = await store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'sent').executeTakeFirst();
    console.log(`\nsent ${sent.n}/${DUE}; total CPU ${(timers.cpuUsPerStep + sends.cpuUsPerStep).toFixed(0)} µs/step`);
    console.log(JSON.stringify({ dialect, due: DUE, timersUs: Math.round(timers.cpuUsPerStep), sendsUs: Math.round(sends.cpuUsPerStep), timerStatements: +timers.statementsPerStep.toFixed(2), sendStatements: +sends.statementsPerStep.toFixed(2), ...(dialect === 'postgres' ? { serverUs: Math.round(timers.serverUsPerStep + sends.serverUsPerStep) } : {}) }));
    await store.close();
  } finally {
    rx.stop();
    await cleanup();
  }
}

await main();
