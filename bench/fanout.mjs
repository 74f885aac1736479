// Fan-out benchmark (issue 12): one public update to EMAILS e-mail subscribers (a real SMTP
// server on loopback, smtp-server) and WEBHOOKS webhook subscribers (a local HTTP server), from
// Firebreak in dist/ (SQLite temp file, then PostgreSQL). Checks that every subscriber got the
// update and nobody got it twice under different delivery ids, and measures first-page latency
// (alert in → page webhook received) for new incidents sent one at a time, BENCH_FO_SPACING_MS
// apart: 2 × BENCH_FO_ALERTS as the fan-out starts, against as many on the same server without a
// fan-out, half just before it and half once it is done, so that whatever drifts over the run
// (start-up, the database's own background work after the set-up's inserts) weighs on both sides
// alike (target: p99 within 1.2×). Also printed, to compare with runs before the bench took pages
// after the fan-out: the first BENCH_FO_ALERTS of the fan-out against the BENCH_FO_ALERTS before it.
// Env: BENCH_FO_EMAILS (10000), BENCH_FO_WEBHOOKS (1000), BENCH_FO_ALERTS (150),
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

/**
 * Probe alerts sent one at a time (each opens an incident that pages at once) while `more()` is
 * true or until `count` are sent; their first-page latencies, in the order they were sent.
 */
async function probe(rx, fb, tag, { count = Infinity, more = () => true }) {
  await rx.ask('dump');
  const sent = new Map();
  for (let i = 0; i < count && more(); i += 1) { const id = `${tag}-${i}`; sent.set(id, await postAlert(fb, id)); await sleep(SPACING_MS); }
  for (let waited = 0; waited < 15_000 && (await rx.ask('count')).count < sent.size; waited += 100) await sleep(100);
  const arrivals = new Map((await rx.ask('dump')).arrivals);
  return [...sent].map(([id, at]) => ({ id, sentAt: at, ms: arrivals.has(id) ? arrivals.get(id) - at : null }));
}

function summary(label, probes) {
  const paged = probes.filter((p) => p.ms !== null);
  const lat = paged.map((p) => p.ms).sort((a, b) => a - b);
  // Where the slowest pages were (the n-th alert of their phase), to tell start-up from steady state.
  const slowest = paged.sort((a, b) => b.ms - a.ms).slice(0, 4).map((p) => `${p.id.split('-').slice(-2).join(' #')} ${p.ms.toFixed(0)} ms`).join(', ');
  const r = { label, sent: probes.length, received: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99), max: lat.at(-1) };
  console.log(`  ${label.padEnd(34)} first page received ${r.received}/${r.sent}  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  max ${r.max.toFixed(2)} ms  (slowest: ${slowest})`);
  return r;
}

async function run(name, databaseUrl, rx) {
  const sinks = await forked('fanout-sinks.mjs');
  const fb = await startFirebreak(databaseUrl, { HOOK_URL: rx.info.url, SMTP_URL: sinks.info.smtpUrl, SUB_HOOK_URL: sinks.info.hookUrl });
  try {
    console.log(`${name}: ${EMAILS} e-mail + ${WEBHOOKS} webhook subscribers`);
    for (let i = 0; i < 20; i += 1) { await postAlert(fb, `${name}-warm-${i}`); await sleep(SPACING_MS); }
    await sleep(1000);
    const before = await probe(rx, fb, `${name}-before`, { count: N });
    const t0 = wallMs();
    const res = await fetch(`${fb.url}/api/v1/status-pages/bench/incidents`, { method: 'POST', headers: { authorization: `Bearer ${fb.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ incident: String(fb.incident), name: 'API errors', body: 'We are investigating elevated API errors.' }) });
    const postedMs = wallMs() - t0;
    if (res.status !== 201) throw new Error(`publish: HTTP ${res.status} ${await res.text()}`);
    let stats = await sinks.ask('stats');
    const poll = (async () => {
      for (let waited = 0; waited < 600_000 && stats.distinctIds < TOTAL; waited += 250) { await sleep(250); stats = await sinks.ask('stats'); }
    })();
    const during = await probe(rx, fb, `${name}-during`, { count: 2 * N, more: () => stats.distinctIds < TOTAL });
    const deliveredWhilePaging = stats.distinctIds;
    const lastPageSent = during.at(-1)?.sentAt ?? t0;
    await poll;
    stats = await sinks.ask('stats');
    const doneMs = (stats.last ?? wallMs()) - t0;
    await sleep(1000);
    const after = await probe(rx, fb, `${name}-after`, { count: N });
    const firstN = during.slice(0, N);
    const outside = summary(`without fan-out (${before.length} before, ${after.length} after)`, [...before, ...after]);
    const inside = summary('during the fan-out', during);
    const startQuiet = summary(`the ${before.length} just before`, before);
    const start = summary(`the fan-out's first ${firstN.length}`, firstN);
    const endQuiet = summary(`the ${after.length} after it`, after);
    const r = {
      name, subscribers: TOTAL, delivered: stats.distinctIds, recipients: stats.recipients, sameIdRepeats: stats.sameIdRepeats, recipientsWithTwoIds: stats.recipientsWithTwoIds,
      publishAnswerMs: +postedMs.toFixed(1), fanoutSeconds: +(doneMs / 1000).toFixed(2), perSecond: Math.round(stats.distinctIds / (doneMs / 1000)),
      quietPages: outside.received, busyPages: inside.received, quietP99: +outside.p99.toFixed(2), busyP99: +inside.p99.toFixed(2), ratio: +(inside.p99 / outside.p99).toFixed(2),
      quietP50: +outside.p50.toFixed(2), busyP50: +inside.p50.toFixed(2),
      firstPages: { quietP99: +startQuiet.p99.toFixed(2), busyP99: +start.p99.toFixed(2), ratio: +(start.p99 / startQuiet.p99).toFixed(2) },
      // No fan-out on either side: how far two p99s of the same server apart drift on this machine.
      afterVsBefore: +(endQuiet.p99 / startQuiet.p99).toFixed(2),
      fanoutCovered: `${Math.round(Math.min(1, (lastPageSent - t0) / Math.max(1, doneMs)) * 100)}%`, deliveredWhilePaging, pagingSeconds: +((lastPageSent - t0) / 1000).toFixed(1),
      pagesReceived: `${outside.received + inside.received}/${outside.sent + inside.sent}`, pagesLost: outside.sent - outside.received + inside.sent - inside.received,
    };
    console.log(`  publish answered in ${r.publishAnswerMs} ms; ${r.delivered}/${TOTAL} delivered to ${r.recipients} recipients in ${r.fanoutSeconds} s (${r.perSecond}/s); same-id repeats ${r.sameIdRepeats}, recipients with two ids ${r.recipientsWithTwoIds}`);
    console.log(`  ${deliveredWhilePaging} delivered in the ${r.pagingSeconds} s the pages below were sent (the bulk lane yields while paging), the rest after`);
    console.log(`  first-page p99 ${r.quietP99} → ${r.busyP99} ms during the fan-out (×${r.ratio}, target ≤ 1.2; pages sent over the first ${r.fanoutCovered} of it); its first ${firstN.length}: ×${r.firstPages.ratio} of the ${before.length} before; noise: the ${after.length} after it ×${r.afterVsBefore} of the ${before.length} before`);
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
const bad = results.some((r) => r.delivered < r.subscribers || r.recipientsWithTwoIds > 0 || r.pagesLost > 0);
process.exit(bad ? 1 : 0);
