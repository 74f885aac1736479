// Fan-out benchmark (issue 12): one public update to EMAILS e-mail subscribers (a real SMTP
// server on loopback, smtp-server) and WEBHOOKS webhook subscribers (a local HTTP server), from
// Firebreak in dist/ (SQLite temp file, then PostgreSQL). Checks that every subscriber got the
// update and nobody got it twice under different delivery ids, and measures first-page latency
// (alert in → page webhook received) for new incidents sent one at a time while the fan-out runs,
// against the same measurement on the same server just before it (target: p99 within 1.2×).
// Env: BENCH_FO_EMAILS (10000), BENCH_FO_WEBHOOKS (1000), BENCH_FO_ALERTS (150 per phase),
//      BENCH_FO_SPACING_MS (30), BENCH_PG_URL (default local; "" skips PostgreSQL), BENCH_FO_SQLITE (0 skips SQLite).
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { jsonLine, message, startChild } from './lib/child.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const EMAILS = Number(process.env.BENCH_FO_EMAILS ?? 10_000);
const WEBHOOKS = Number(process.env.BENCH_FO_WEBHOOKS ?? 1_000);
const N = Number(process.env.BENCH_FO_ALERTS ?? 150);
const SPACING_MS = Number(process.env.BENCH_FO_SPACING_MS ?? 30);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOTAL = EMAILS + WEBHOOKS;

if (!existsSync(join(here, '..', 'dist', 'app', 'server.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const children = new Set();
const track = (child) => { children.add(child); child.on('exit', () => children.delete(child)); return child; };
const killAll = () => { for (const c of children) { c.expectExit?.(); c.kill('SIGKILL'); } };
const watchdog = setTimeout(() => { console.error('fanout: timed out'); killAll(); process.exit(1); }, 20 * 60_000);
watchdog.unref();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallMs = () => performance.timeOrigin + performance.now();
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];

async function forked(file) {
  const child = track(fork(join(here, 'lib', file), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
  const ask = (type) => new Promise((resolve) => {
    const on = (m) => { if (m?.type === type) { child.off('message', on); resolve(m); } };
    child.on('message', on);
    child.send({ type });
  });
  const started = await startChild(child, { name: `bench/lib/${file}`, ready: message() });
  child.expectExit = started.expectExit;
  return { info: started.value, ask, stop: () => started.stop() };
}

async function startFirebreak(databaseUrl, env) {
  const child = track(spawn(process.execPath, [join(here, 'lib', 'fanout-server.mjs')], { env: { ...process.env, DATABASE_URL: databaseUrl, EMAILS: String(EMAILS), WEBHOOKS: String(WEBHOOKS), ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  const started = await startChild(child, { name: 'bench/lib/fanout-server.mjs', ready: jsonLine, timeoutMs: 120_000 });
  child.expectExit = started.expectExit;
  return { ...started.value, stop: async () => { await Promise.race([started.stop(), sleep(5000)]); } };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function postAlert(fb, id) {
  const now = Date.now();
  const payload = JSON.stringify([{ labels: { alertname: 'FanOut', instance: `host-${id}`, job: 'bench', severity: 'critical', bench_id: id }, annotations: { summary: id }, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }]);
  const url = new URL(`${fb.url}/api/v2/alerts`);
  return new Promise((resolve, reject) => {
    const sentAt = wallMs();
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${fb.key}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode < 300 ? resolve(sentAt) : reject(new Error(`${id}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function pages(label, rx, fb, tag) {
  await rx.ask('dump');
  const sent = new Map();
  for (let i = 0; i < N; i += 1) { const id = `${tag}-${i}`; sent.set(id, await postAlert(fb, id)); await sleep(SPACING_MS); }
  for (let waited = 0; waited < 15_000 && (await rx.ask('count')).count < N; waited += 100) await sleep(100);
  const { arrivals } = await rx.ask('dump');
  const byId = arrivals.filter(([id]) => sent.has(id)).map(([id, at]) => [id, at - sent.get(id)]);
  const lat = byId.map(([, ms]) => ms).sort((a, b) => a - b);
  // Where in the phase the slowest pages were (the n-th alert sent), to tell start-up from steady state.
  const slowest = [...byId].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([id, ms]) => `#${id.split('-').at(-1)} ${ms.toFixed(0)} ms`).join(', ');
  const r = { label, sent: N, received: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99), max: lat.at(-1), window: [Math.min(...sent.values()), Math.max(...sent.values())] };
  console.log(`  ${label.padEnd(22)} first page received ${r.received}/${N}  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  max ${r.max.toFixed(2)} ms  (slowest: ${slowest})`);
  return r;
}

async function run(name, databaseUrl, rx) {
  const sinks = await forked('fanout-sinks.mjs');
  const fb = await startFirebreak(databaseUrl, { HOOK_URL: rx.info.url, SMTP_URL: sinks.info.smtpUrl, SUB_HOOK_URL: sinks.info.hookUrl });
  try {
    console.log(`${name}: ${EMAILS} e-mail + ${WEBHOOKS} webhook subscribers`);
    for (let i = 0; i < 20; i += 1) { await postAlert(fb, `${name}-warm-${i}`); await sleep(SPACING_MS); }
    await sleep(1000);
    const quiet = await pages('without fan-out', rx, fb, `${name}-quiet`);
    const t0 = wallMs();
    const res = await fetch(`${fb.url}/api/v1/status-pages/bench/incidents`, { method: 'POST', headers: { authorization: `Bearer ${fb.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ incident: String(fb.incident), name: 'API errors', body: 'We are investigating elevated API errors.' }) });
    const postedMs = wallMs() - t0;
    if (res.status !== 201) throw new Error(`publish: HTTP ${res.status} ${await res.text()}`);
    const busy = await pages('during fan-out', rx, fb, `${name}-busy`);
    let stats = await sinks.ask('stats');
    for (let waited = 0; waited < 600_000 && stats.distinctIds < TOTAL; waited += 250) { await sleep(250); stats = await sinks.ask('stats'); }
    const doneMs = (stats.last ?? wallMs()) - t0;
    const overlap = Math.max(0, Math.min(busy.window[1], stats.last ?? 0) - busy.window[0]) / Math.max(1, busy.window[1] - busy.window[0]);
    const r = {
      name, subscribers: TOTAL, delivered: stats.distinctIds, recipients: stats.recipients, sameIdRepeats: stats.sameIdRepeats, recipientsWithTwoIds: stats.recipientsWithTwoIds,
      publishAnswerMs: +postedMs.toFixed(1), fanoutSeconds: +(doneMs / 1000).toFixed(2), perSecond: Math.round(stats.distinctIds / (doneMs / 1000)),
      quietP99: +quiet.p99.toFixed(2), busyP99: +busy.p99.toFixed(2), ratio: +(busy.p99 / quiet.p99).toFixed(2), quietP50: +quiet.p50.toFixed(2), busyP50: +busy.p50.toFixed(2),
      pagesInsideFanout: `${Math.round(Math.min(1, overlap) * 100)}%`, pagesReceived: `${quiet.received + busy.received}/${2 * N}`,
    };
    console.log(`  publish answered in ${r.publishAnswerMs} ms; ${r.delivered}/${TOTAL} delivered to ${r.recipients} recipients in ${r.fanoutSeconds} s (${r.perSecond}/s); same-id repeats ${r.sameIdRepeats}, recipients with two ids ${r.recipientsWithTwoIds}`);
    console.log(`  first-page p99 ${r.quietP99} → ${r.busyP99} ms during fan-out (×${r.ratio}; ${r.pagesInsideFanout} of the busy phase inside the fan-out)`);
    return r;
  } finally {
    await fb.stop();
    await sinks.stop();
  }
}

console.log(`fan-out benchmark — ${new Date().toISOString()} — ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const dir = mkdtempSync(join(tmpdir(), 'firebreak-fanout-'));
const rx = await forked('first-page-receiver.mjs');
const results = [];
try {
  if (process.env.BENCH_FO_SQLITE !== '0') results.push(await run('SQLite', `sqlite:${join(dir, 'fb.db')}`, rx));
  if (PG_URL) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const db = `firebreak_fanout_${process.pid}`;
    try {
      await admin.query(`create database ${db}`);
      const url = new URL(PG_URL);
      url.pathname = `/${db}`;
      results.push(await run('PostgreSQL', url.toString(), rx));
    } finally {
      await admin.query(`drop database if exists ${db} with (force)`).catch(() => {});
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
console.log(JSON.stringify(results));
const bad = results.some((r) => r.delivered < r.subscribers || r.recipientsWithTwoIds > 0);
process.exit(bad ? 1 : 0);
