// First-page latency benchmark (issue 4): alert in → first notification received, for a real
// Prometheus Alertmanager (route with group_wait: 0s, webhook receiver, nothing persisted) and
// Firebreak from dist/ (SQLite temp file, then PostgreSQL; the alert is committed, opens an
// incident, the SEV1 policy's level 0 pages a user's signed webhook). Each alert has a distinct
// label set, is sent alone (one at a time, BENCH_FP_SPACING_MS apart) and timestamped just
// before the POST; a receiver in its own process records when its notification arrives.
// Env: BENCH_FP_ALERTS (default 300), BENCH_FP_SPACING_MS (default 20),
//      BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres; "" skips PostgreSQL),
//      FB_ROOT (a Firebreak build other than dist/, to compare two builds),
//      BENCH_HISTORY_SQLITE_FILE / BENCH_HISTORY_PG_DB: run Firebreak on that kept history database
//      (bench/history.mjs; issue 13's "at that size") instead of a fresh one. It is written to.
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { httpReady, jsonLine, message, startChild } from './lib/child.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.BENCH_FP_ALERTS ?? 300);
const SPACING_MS = Number(process.env.BENCH_FP_SPACING_MS ?? 20);
const WARMUP = 20;
const AM_BIN = '/usr/bin/prometheus-alertmanager';
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HISTORY_SQLITE = process.env.BENCH_HISTORY_SQLITE_FILE;
const HISTORY_PG = process.env.BENCH_HISTORY_PG_DB;

if (!existsSync(join(process.env.FB_ROOT ?? join(here, '..', 'dist'), 'app', 'server.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

const children = new Set();
const track = (child) => { children.add(child); child.on('exit', () => children.delete(child)); return child; };
const killAll = () => { for (const c of children) { c.expectExit?.(); c.kill('SIGKILL'); } };
// Bounded: whatever happens, stop everything after 3 minutes.
const watchdog = setTimeout(() => { console.error('first-page: timed out'); killAll(); process.exit(1); }, 180_000);
watchdog.unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallMs = () => performance.timeOrigin + performance.now();
const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function startReceiver() {
  const child = track(fork(join(here, 'lib', 'first-page-receiver.mjs'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
  const ask = (type) => new Promise((resolve) => {
    const on = (m) => { if (m?.type === type) { child.off('message', on); resolve(m); } };
    child.on('message', on);
    child.send({ type });
  });
  const started = await startChild(child, { name: 'bench/lib/first-page-receiver.mjs', ready: message() });
  child.expectExit = started.expectExit;
  return { url: started.value.url, ask, stop: () => started.stop() };
}

async function startAlertmanager(dir, hookUrl) {
  const port = await freePort();
  writeFileSync(join(dir, 'am.yml'), [
    'route:',
    '  receiver: hook',
    '  group_by: [alertname, instance]',
    '  group_wait: 0s',
    '  group_interval: 5m',
    '  repeat_interval: 4h',
    'receivers:',
    '  - name: hook',
    '    webhook_configs:',
    `      - url: ${hookUrl}`,
    '        send_resolved: false',
    '',
  ].join('\n'));
  const child = track(spawn(AM_BIN, [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=error'], { stdio: ['ignore', 'ignore', 'pipe'] }));
  const started = await startChild(child, { name: 'alertmanager', ready: httpReady(`http://127.0.0.1:${port}/-/ready`) });
  child.expectExit = started.expectExit;
  return { url: `http://127.0.0.1:${port}/api/v2/alerts`, auth: null, stop: () => started.stop() };
}

async function startFirebreak(databaseUrl, hookUrl) {
  const child = track(spawn(process.execPath, [join(here, 'lib', 'first-page-server.mjs')], { env: { ...process.env, DATABASE_URL: databaseUrl, HOOK_URL: hookUrl }, stdio: ['ignore', 'pipe', 'pipe'] }));
  const started = await startChild(child, { name: 'bench/lib/first-page-server.mjs', ready: jsonLine });
  child.expectExit = started.expectExit;
  const info = started.value;
  return { url: `${info.url}/api/v2/alerts`, auth: `Bearer ${info.key}`, stop: async () => { await Promise.race([started.stop(), sleep(5000)]); } };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function postAlert(target, id) {
  const now = Date.now();
  const payload = JSON.stringify([{
    labels: { alertname: 'FirstPage', instance: `host-${id}`, job: 'bench', severity: 'critical', bench_id: id },
    annotations: { summary: id },
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
  }]);
  const url = new URL(target.url);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
  if (target.auth) headers.authorization = target.auth;
  return new Promise((resolve, reject) => {
    const sentAt = wallMs();
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve({ sentAt, answeredAt: wallMs() }) : reject(new Error(`${id}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];

async function measure(label, rx, target) {
  const tag = label.replace(/\W+/g, '').toLowerCase();
  // Warm-up (JIT, connections, caches), not counted.
  for (let i = 0; i < WARMUP; i += 1) { await postAlert(target, `${tag}-warm-${i}`); await sleep(SPACING_MS); }
  await sleep(1000);
  await rx.ask('dump');
  const sent = new Map();
  for (let i = 0; i < N; i += 1) {
    const id = `${tag}-${i}`;
    sent.set(id, await postAlert(target, id));
    await sleep(SPACING_MS);
  }
  for (let waited = 0; waited < 10_000 && (await rx.ask('count')).count < N; waited += 100) await sleep(100);
  const { arrivals } = await rx.ask('dump');
  const lat = arrivals.filter(([id]) => sent.has(id)).map(([id, at]) => at - sent.get(id).sentAt).sort((a, b) => a - b);
  // The POST's own answer time, to tell the ingest commit apart from the paging path after it.
  const ans = [...sent.values()].map((s) => s.answeredAt - s.sentAt).sort((a, b) => a - b);
  const after = arrivals.filter(([id]) => sent.has(id)).map(([id, at]) => at - sent.get(id).answeredAt).sort((a, b) => a - b);
  const result = { label, sent: N, received: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99), max: lat.at(-1), min: lat[0], answerP50: pct(ans, 0.5), answerP99: pct(ans, 0.99), afterAnswerP50: pct(after, 0.5), afterAnswerP99: pct(after, 0.99) };
  console.log(`${label.padEnd(28)} received ${result.received}/${N}  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  (min ${result.min.toFixed(2)}, max ${result.max.toFixed(2)})`);
  console.log(`${''.padEnd(28)} POST answered p50 ${result.answerP50.toFixed(2)} / p99 ${result.answerP99.toFixed(2)} ms; answer → notification p50 ${result.afterAnswerP50.toFixed(2)} / p99 ${result.afterAnswerP99.toFixed(2)} ms`);
  return result;
}

const startLoad = loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`first-page benchmark — ${new Date().toISOString()} — ${cpus().length} CPUs, load ${startLoad}, ${N} alerts one at a time, ${SPACING_MS} ms apart`);
const dir = mkdtempSync(join(tmpdir(), 'firebreak-first-page-'));
const rx = await startReceiver();
const results = [];
try {
  if (existsSync(AM_BIN)) {
    const am = await startAlertmanager(mkdtempSync(join(dir, 'am-')), rx.url);
    try { results.push(await measure('Alertmanager (group_wait 0s)', rx, am)); } finally { await am.stop(); }
  } else {
    console.log(`${AM_BIN} not found: Alertmanager skipped`);
  }
  const fb = await startFirebreak(`sqlite:${HISTORY_SQLITE ?? join(dir, 'fb.db')}`, rx.url);
  try { results.push(await measure(HISTORY_SQLITE ? 'Firebreak SQLite (history)' : 'Firebreak SQLite', rx, fb)); } finally { await fb.stop(); }
  if (PG_URL) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const name = HISTORY_PG ?? `firebreak_first_page_${process.pid}`;
    try {
      if (!HISTORY_PG) await admin.query(`create database ${name}`);
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      const fbPg = await startFirebreak(url.toString(), rx.url);
      try { results.push(await measure(HISTORY_PG ? 'Firebreak PostgreSQL (history)' : 'Firebreak PostgreSQL', rx, fbPg)); } finally { await fbPg.stop(); }
    } finally {
      if (!HISTORY_PG) await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    }
  }
} finally {
  rx.stop();
  agent.destroy();
  killAll();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const round = (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? +v.toFixed(2) : v]));
console.log(JSON.stringify(results.map(round)));
const missing = results.some((r) => r.received < r.sent);
process.exit(missing ? 1 : 0);
