// Ingest benchmark: Firebreak (built dist/, SQLite temp file, then PostgreSQL) and a real
// Prometheus Alertmanager side by side, driven with the same load from a separate process:
// POST /api/v2/alerts, 1 and 100 alerts per request, distinct label sets, 50 connections.
// Prints alerts/s, p50/p99 and the ratio, and RSS after 100k open alerts.
// The load comes from wrk (bench/lib/alerts.lua; ~25 µs of CPU per request, against ~150 µs for
// the Node generator, and it shares the 2 cores with the server under test); without
// /usr/bin/wrk, or with BENCH_LOAD=node, from bench/lib/load.mjs. The 100k-alert fill for the
// RSS figure always uses load.mjs (it needs an exact request count).
// Also runs Node.js servers that do no work, or only store each alert durably (bench/lib/http-floor.mjs,
// 1 and 2 processes) under the same load: the ceiling of any Node.js endpoint on this machine, and
// of any that commits each alert to SQLite before answering.
// Env: BENCH_SECONDS (default 10), BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres; "" skips),
// BENCH_LOAD (wrk | node), BENCH_FLOOR (0 skips the floor runs),
// BENCH_HISTORY_SQLITE_FILE / BENCH_HISTORY_PG_DB: run Firebreak on that kept history database
// (bench/history.mjs; issue 13's "at that size") instead of a fresh one. It is written to.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { httpReady, jsonLine, startChild } from './lib/child.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const AM_BIN = '/usr/bin/prometheus-alertmanager';
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HISTORY_SQLITE = process.env.BENCH_HISTORY_SQLITE_FILE;
const HISTORY_PG = process.env.BENCH_HISTORY_PG_DB;

if (!existsSync(join(here, '..', 'dist', 'app', 'server.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

const WRK = '/usr/bin/wrk';
const GENERATOR = process.env.BENCH_LOAD === 'node' || !existsSync(WRK) ? 'node' : 'wrk';

function load(url, auth, perRequest, seconds, tag, total) {
  if (GENERATOR === 'wrk' && !total) {
    const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '-s', join(here, 'lib', 'alerts.lua'), url, '--', String(perRequest), auth, tag];
    const out = spawnSync(WRK, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (out.status !== 0) throw new Error(out.stderr || out.stdout);
    const r = JSON.parse(out.stdout.trim().split('\n').at(-1));
    return { ...r, alerts: r.requests * perRequest, alertsPerSec: (r.requests * perRequest) / r.seconds };
  }
  const args = [join(here, 'lib', 'load.mjs'), url, auth, String(perRequest), String(CONNECTIONS), String(seconds), tag];
  if (total) args.push(String(total));
  const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split('\n').at(-1));
}

/** Spawns a bench/lib script that prints one JSON line of where it listens; resolves with it. */
async function startScript(script, env) {
  const child = spawn(process.execPath, [join(here, 'lib', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = await startChild(child, { name: `bench/lib/${script}`, ready: jsonLine });
  return { info: started.value, child, stop: () => started.stop() };
}

async function startFirebreak(databaseUrl) {
  const { info, child, stop } = await startScript('firebreak-server.mjs', { DATABASE_URL: databaseUrl });
  return { ...info, url: `${info.url}/api/v2/alerts`, auth: `Bearer ${info.key}`, pid: child.pid, stop };
}

async function startFloor(processes, { sqlite = false, append = false } = {}) {
  const store = sqlite ? { FLOOR_SQLITE: join(dir, `floor-${n++}.db`), FLOOR_SQLITE_APPEND: append ? '1' : '0' } : {};
  const { info, child, stop } = await startScript('http-floor.mjs', { FLOOR_PROCESSES: String(processes), PORT: '0', ...store });
  return { url: `${info.url}/api/v2/alerts`, auth: '-', pid: child.pid, stop };
}

async function startAlertmanager(dir) {
  const port = await freePort();
  writeFileSync(join(dir, 'am.yml'), 'route:\n  receiver: blackhole\n  group_by: [alertname]\nreceivers:\n  - name: blackhole\n');
  const child = spawn(AM_BIN, [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=error'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const started = await startChild(child, { name: 'alertmanager', ready: httpReady(`http://127.0.0.1:${port}/-/ready`) });
  return { url: `http://127.0.0.1:${port}/api/v2/alerts`, auth: '-', pid: child.pid, stop: () => started.stop() };
}

const fmt = (r) => `${Math.round(r.alertsPerSec).toString().padStart(7)} alerts/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  (${r.requests} req, ${r.errors} errors)`;

/** 1 and 100 alerts/request against a fresh target each; then, unless `rss: false` (the floor), RSS with 100k open alerts. */
async function scenario(name, start, { rss = true } = {}) {
  const results = {};
  for (const perRequest of [1, 100]) {
    const target = await start();
    await sleep(300);
    load(target.url, target.auth, perRequest, 1, `warm${perRequest}`); // warm-up
    results[perRequest] = load(target.url, target.auth, perRequest, SECONDS, `run${perRequest}`);
    await target.stop();
    await sleep(500);
  }
  if (rss) {
    // RSS with 100k open alerts (1000 requests × 100 distinct alerts), fresh process, read 3 s
    // after the last answer (both runtimes hand freed memory back to the OS with some delay:
    // Go's scavenger, Firebreak's collection once ingestion is idle, src/app/memory-trim.ts).
    const target = await start();
    await sleep(300);
    load(target.url, target.auth, 100, 600, 'rss', 1000);
    await sleep(3000);
    results.rssMb = rssMb(target.pid);
    await target.stop();
    await sleep(500);
  }
  console.log(`\n${name} (load average now ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
  console.log(`  1 alert/request   ${fmt(results[1])}`);
  console.log(`  100 alerts/request ${fmt(results[100])}`);
  if (rss) console.log(`  RSS after 100k open alerts: ${results.rssMb.toFixed(0)} MB`);
  return results;
}

console.log(`ingest benchmark — ${new Date().toISOString()} — ${cpus().length} CPUs, ${SECONDS}s per run, ${CONNECTIONS} connections, load from ${GENERATOR === 'wrk' ? 'wrk (bench/lib/alerts.lua)' : 'bench/lib/load.mjs'}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-'));
let n = 0;
try {
  const am = existsSync(AM_BIN) ? await scenario('Alertmanager (in memory, nothing persisted)', () => startAlertmanager(mkdtempSync(join(dir, 'am-')))) : null;
  const sqlite = await scenario(`Firebreak on SQLite (WAL fsync before every answer, group commit)${HISTORY_SQLITE ? `, on ${HISTORY_SQLITE}` : ''}`, () => startFirebreak(`sqlite:${HISTORY_SQLITE ?? join(dir, `fb-${n++}.db`)}`));
  if (am) {
    console.log('\nFirebreak SQLite vs Alertmanager');
    for (const p of [1, 100]) {
      console.log(`  ${p}/request: throughput ×${(sqlite[p].alertsPerSec / am[p].alertsPerSec).toFixed(2)}, p99 ${sqlite[p].p99.toFixed(1)} vs ${am[p].p99.toFixed(1)} ms (×${(sqlite[p].p99 / am[p].p99).toFixed(2)})`);
    }
    console.log(`  RSS ${sqlite.rssMb.toFixed(0)} vs ${am.rssMb.toFixed(0)} MB`);
  }
  // What any Node.js server gets here under the same load, doing nothing, or storing each alert
  // and nothing else (bench/lib/http-floor.mjs; BENCH_FLOOR=0 skips).
  if (process.env.BENCH_FLOOR !== '0') {
    const floors = [
      ['HTTP floor, 1 process (parse JSON, answer 200; nothing validated or stored)', 1, {}],
      ['HTTP floor, 2 processes (node:cluster)', 2, {}],
      ['stored floor, 1 process (+ one durable row per alert under a unique dedup index)', 1, { sqlite: true }],
      ['stored floor, 2 processes (both writing the same SQLite file)', 2, { sqlite: true }],
      ['append floor, 1 process (+ one durable row per alert, no index: no dedup at all)', 1, { sqlite: true, append: true }],
      ['append floor, 2 processes', 2, { sqlite: true, append: true }],
    ];
    const results = [];
    for (const [name, processes, how] of floors) {
      results.push([name, await scenario(`Node.js ${name}`, () => startFloor(processes, how), { rss: false })]);
    }
    if (am) {
      console.log('\nNode.js floors vs Alertmanager');
      for (const [name, r] of results) {
        console.log(`  ${name.split(' (')[0].padEnd(28)} 1/request ×${(r[1].alertsPerSec / am[1].alertsPerSec).toFixed(2)} (p99 ${r[1].p99.toFixed(1)} ms), 100/request ×${(r[100].alertsPerSec / am[100].alertsPerSec).toFixed(2)} (p99 ${r[100].p99.toFixed(0)} ms)`);
      }
    }
  }
  if (PG_URL) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const dbs = [];
    const fresh = async () => {
      if (HISTORY_PG) {
        const url = new URL(PG_URL);
        url.pathname = `/${HISTORY_PG}`;
        return startFirebreak(url.toString());
      }
      const name = `firebreak_bench_${process.pid}_${dbs.length}`;
      await admin.query(`drop database if exists ${name}`);
      await admin.query(`create database ${name}`);
      dbs.push(name);
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      return startFirebreak(url.toString());
    };
    try {
      await scenario(`Firebreak on PostgreSQL (group commit)${HISTORY_PG ? `, on database ${HISTORY_PG}` : ''}`, fresh);
    } finally {
      await sleep(500);
      for (const name of dbs) await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
void execFileSync;
