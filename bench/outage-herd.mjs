// Outage-day herd (issue 12): the public status page and its summary.json read by a herd (wrk)
// while 1,000 alerts/s are ingested into the same Firebreak process (SQLite temp file, from
// dist/). Reports, in one run:
//   - read throughput and p99 of Firebreak vs a bare Node.js http server answering the same
//     bytes (bench/lib/bytes-floor.mjs), both under the same 1,000 alerts/s into Firebreak; for
//     Firebreak twice: on its main listener (the herd on the same event loop as ingest and paging)
//     and on the public edge (FIREBREAK_PUBLIC_PORT: a thread and listener of its own);
//   - the same two herds without ingest (what the serving path costs alone);
//   - first-page latency (alert in → signed webhook page received) of probe alerts sent while
//     the herd reads, against the same probes with the ingest load but no herd.
// Env: BENCH_HERD_SECONDS (default 10 per phase), BENCH_HERD_CONNECTIONS (default 32 per path),
//      BENCH_HERD_RATE (alerts/s, default 1000), BENCH_HERD_PROBES (default 120, 60 ms apart).
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonLine, message, startChild } from './lib/child.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_HERD_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_HERD_CONNECTIONS ?? 32);
const RATE = Number(process.env.BENCH_HERD_RATE ?? 1000);
const PROBES = Number(process.env.BENCH_HERD_PROBES ?? 120);
const PROBE_SPACING_MS = 60;
const WRK = '/usr/bin/wrk';
const PATHS = ['/status/acme', '/status/acme/api/v2/summary.json'];
/** Headers Node's http server writes itself (the floors get them from Node as Firebreak does). */
const NODE_ADDS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

if (!existsSync(join(here, '..', 'dist', 'app', 'server.js'))) { console.error('dist/ is missing: run `npm run build` first'); process.exit(1); }
if (!existsSync(WRK)) { console.error(`${WRK} is missing`); process.exit(1); }
const watchdog = setTimeout(() => { console.error('outage-herd: timed out'); process.exit(1); }, 300_000);
watchdog.unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallMs = () => performance.timeOrigin + performance.now();
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function startScript(script, env) {
  const child = spawn(process.execPath, [join(here, 'lib', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = await startChild(child, { name: `bench/lib/${script}`, ready: jsonLine });
  return { info: started.value, stop: () => started.stop() };
}

async function startReceiver() {
  const child = fork(join(here, 'lib', 'first-page-receiver.mjs'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const ask = (type) => new Promise((resolve) => {
    const on = (m) => { if (m?.type === type) { child.off('message', on); resolve(m); } };
    child.on('message', on);
    child.send({ type });
  });
  const started = await startChild(child, { name: 'bench/lib/first-page-receiver.mjs', ready: message() });
  return { url: started.value.url, ask, stop: () => started.stop() };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function postAlerts(base, key, alerts) {
  const payload = JSON.stringify(alerts);
  const url = new URL('/api/v2/alerts', base);
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`ingest: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
const alert = (labels, summary) => {
  const now = Date.now();
  return { labels, annotations: { summary }, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() };
};

/** RATE alerts/s in batches of 10 every 10 ms (distinct label sets, 50 groups, warning: no page). */
function ingestLoad(fb) {
  let seq = 0;
  let sent = 0;
  let errors = 0;
  const perTick = Math.max(1, Math.round(RATE / 100));
  const started = performance.now();
  let tick = 0;
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      tick += 1;
      const batch = Array.from({ length: perTick }, () => { const n = seq++; return alert({ alertname: `Herd${n % 5}`, instance: `node-${n % 10}`, job: 'bench', severity: 'warning', seq: String(n) }, `herd ${n}`); });
      postAlerts(fb.url, fb.key, batch).then(() => { sent += batch.length; }, () => { errors += 1; });
      const due = started + tick * 10;
      await sleep(Math.max(0, due - performance.now()));
    }
  };
  void run();
  return { stop: () => { stopped = true; const s = (performance.now() - started) / 1000; return { alertsPerSec: sent / s, errors }; } };
}

/** Probe alerts one at a time, each opening a SEV1 incident that pages: their first-page latencies. */
async function probes(fb, rx, tag) {
  await rx.ask('dump');
  const sent = new Map();
  for (let i = 0; i < PROBES; i += 1) {
    const id = `${tag}-${i}`;
    const at = wallMs();
    await postAlerts(fb.url, fb.key, [alert({ alertname: 'Probe', instance: id, job: 'bench', severity: 'critical', bench_id: id }, id)]);
    sent.set(id, at);
    await sleep(PROBE_SPACING_MS);
  }
  for (let waited = 0; waited < 10_000 && (await rx.ask('count')).count < PROBES; waited += 100) await sleep(100);
  const { arrivals } = await rx.ask('dump');
  const lat = arrivals.filter(([id]) => sent.has(id)).map(([id, at]) => at - sent.get(id)).sort((a, b) => a - b);
  return { received: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
}

const UNIT = { us: 0.001, ms: 1, s: 1000 };
/** wrk on one URL for `seconds`: requests/s and p99 (ms) from its --latency distribution. */
function wrk(url, seconds, connections) {
  return new Promise((resolve, reject) => {
    const child = spawn(WRK, ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    // 'close', not 'exit': wrk's last lines can still be in the pipe when it exits.
    child.on('close', () => {
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const errors = /Socket errors: (.*)/.exec(out)?.[1] ?? null;
      if (!Number.isFinite(rps) || !p) return reject(new Error(`wrk output not understood:\n${out}${err}`));
      resolve({ rps, p99: Number(p[1]) * UNIT[p[2]], non2xx, errors });
    });
  });
}
const herd = async (base) => {
  const results = await Promise.all(PATHS.map((p) => wrk(base + p, SECONDS, CONNECTIONS)));
  return { rps: results.reduce((s, r) => s + r.rps, 0), p99: Math.max(...results.map((r) => r.p99)), perPath: results };
};

console.log(`outage-herd benchmark — ${new Date().toISOString()} — ${cpus().length} CPUs (${cpus()[0]?.model}), load ${load()}; ${RATE} alerts/s ingested; wrk -t1 -c${CONNECTIONS} -d${SECONDS}s on each of ${PATHS.join(', ')}`);
const dir = mkdtempSync(join(tmpdir(), 'firebreak-herd-'));
const rx = await startReceiver();
const fbProc = await startScript('herd-server.mjs', { DATABASE_URL: `sqlite:${join(dir, 'fb.db')}`, HOOK_URL: rx.url });
const fb = fbProc.info;
let floor = null;
let floorHeaders = null;
let floorNice = null;
let exitCode = 0;
try {
  // Warm-up: JIT, connections, the first cache fill.
  for (const p of PATHS) await fetch(fb.url + p).then((r) => r.text());
  await wrk(fb.url + PATHS[0], 2, 8);
  await wrk(fb.edgeUrl + PATHS[0], 2, 8);
  const bytes = {};
  for (const p of PATHS) {
    const r = await fetch(fb.edgeUrl + p);
    const headers = Object.fromEntries([...r.headers].filter(([name]) => !NODE_ADDS.has(name)));
    bytes[p] = { type: r.headers.get('content-type'), headers, body: await r.text() };
  }
  writeFileSync(join(dir, 'bytes.json'), JSON.stringify(bytes));
  floor = await startScript('bytes-floor.mjs', { FLOOR_BYTES: join(dir, 'bytes.json') });
  await wrk(floor.info.url + PATHS[0], 2, 8);
  // For diagnosis only (the target is against the floor above): the same answers with their headers.
  floorHeaders = await startScript('bytes-floor.mjs', { FLOOR_BYTES: join(dir, 'bytes.json'), FLOOR_HEADERS: '1' });
  await wrk(floorHeaders.info.url + PATHS[0], 2, 8);
  // Also for diagnosis: the floor at the edge thread's CPU priority (FIREBREAK_PUBLIC_NICE).
  floorNice = await startScript('bytes-floor.mjs', { FLOOR_BYTES: join(dir, 'bytes.json'), FLOOR_NICE: String(fb.edgeNice ?? 0) });
  await wrk(floorNice.info.url + PATHS[0], 2, 8);

  // 1. Ingest load, no herd: first-page latency of the probes.
  let ingest = ingestLoad(fb);
  await sleep(1000);
  const quiet = await probes(fb, rx, 'quiet');
  const quietIngest = ingest.stop();
  await sleep(1000);

  // 2. Ingest load + herd on Firebreak, probes meanwhile.
  ingest = ingestLoad(fb);
  await sleep(500);
  const [fbHerd, herdProbes] = await Promise.all([herd(fb.url), probes(fb, rx, 'herd')]);
  const herdIngest = ingest.stop();
  await sleep(1000);

  // 2b. The same on the public edge: the herd reads from the edge thread's listener.
  ingest = ingestLoad(fb);
  await sleep(500);
  const [edgeHerd, edgeProbes] = await Promise.all([herd(fb.edgeUrl), probes(fb, rx, 'edge')]);
  const edgeIngest = ingest.stop();
  await sleep(1000);

  // 3. Ingest load into Firebreak + the same herd on the bare floor serving the same bytes.
  ingest = ingestLoad(fb);
  await sleep(500);
  const floorHerd = await herd(floor.info.url);
  const floorIngest = ingest.stop();

  // 3b. For diagnosis: the same with the floor at the edge's CPU priority.
  await sleep(1000);
  ingest = ingestLoad(fb);
  await sleep(500);
  const floorNiceHerd = await herd(floorNice.info.url);
  ingest.stop();

  // 4. For diagnosis: both herds again without any ingest (what the serving path costs alone).
  await sleep(1000);
  const fbAlone = await herd(fb.url);
  const edgeAlone = await herd(fb.edgeUrl);
  const floorAlone = await herd(floor.info.url);
  const floorHeadersAlone = await herd(floorHeaders.info.url);
  const edgeRatio = edgeHerd.rps / floorHerd.rps;

  const ratio = fbHerd.rps / floorHerd.rps;
  console.log(`\nbytes: page ${bytes[PATHS[0]].body.length} B, summary.json ${bytes[PATHS[1]].body.length} B`);
  console.log(`Firebreak  ${fbHerd.rps.toFixed(0).padStart(7)} req/s  p99 ${fbHerd.p99.toFixed(2)} ms  (page ${fbHerd.perPath[0].rps.toFixed(0)}, summary ${fbHerd.perPath[1].rps.toFixed(0)} req/s; non-2xx ${fbHerd.perPath.reduce((s, r) => s + r.non2xx, 0)}) while ingesting ${herdIngest.alertsPerSec.toFixed(0)} alerts/s`);
  console.log(`bare floor ${floorHerd.rps.toFixed(0).padStart(7)} req/s  p99 ${floorHerd.p99.toFixed(2)} ms  while Firebreak ingests ${floorIngest.alertsPerSec.toFixed(0)} alerts/s`);
  console.log(`throughput ×${ratio.toFixed(2)} of the floor (target ≥ 0.8), p99 ${fbHerd.p99.toFixed(2)} ms (target ≤ 20)`);
  console.log(`public edge ${edgeHerd.rps.toFixed(0).padStart(7)} req/s  p99 ${edgeHerd.p99.toFixed(2)} ms  (non-2xx ${edgeHerd.perPath.reduce((s, r) => s + r.non2xx, 0)}) while ingesting ${edgeIngest.alertsPerSec.toFixed(0)} alerts/s: ×${edgeRatio.toFixed(2)} of the floor`);
  console.log(`diagnosis:   the floor at the edge's nice ${fb.edgeNice ?? 0}, while ingesting: ${floorNiceHerd.rps.toFixed(0)} req/s p99 ${floorNiceHerd.p99.toFixed(2)} ms; the edge ×${(edgeHerd.rps / floorNiceHerd.rps).toFixed(2)} of it (what the priority costs a herd whose client shares the CPUs, apart from the serving path)`);
  console.log(`no ingest:  Firebreak ${fbAlone.rps.toFixed(0)} req/s p99 ${fbAlone.p99.toFixed(2)} ms, edge ${edgeAlone.rps.toFixed(0)} req/s p99 ${edgeAlone.p99.toFixed(2)} ms (×${(edgeAlone.rps / floorAlone.rps).toFixed(2)}), floor ${floorAlone.rps.toFixed(0)} req/s p99 ${floorAlone.p99.toFixed(2)} ms (×${(fbAlone.rps / floorAlone.rps).toFixed(2)})`);
  console.log(`no ingest:  floor sending the answers' own ${Object.keys(bytes[PATHS[1]].headers).length} headers ${floorHeadersAlone.rps.toFixed(0)} req/s p99 ${floorHeadersAlone.p99.toFixed(2)} ms: the edge ×${(edgeAlone.rps / floorHeadersAlone.rps).toFixed(2)} of it (diagnosis: the gap left once the floor pays Node's own cost of those headers too)`);
  console.log(`first page, ${quietIngest.alertsPerSec.toFixed(0)} alerts/s, no herd: ${quiet.received}/${PROBES} p50 ${quiet.p50?.toFixed(2)} ms p99 ${quiet.p99?.toFixed(2)} ms`);
  console.log(`first page, ${herdIngest.alertsPerSec.toFixed(0)} alerts/s + herd:  ${herdProbes.received}/${PROBES} p50 ${herdProbes.p50?.toFixed(2)} ms p99 ${herdProbes.p99?.toFixed(2)} ms`);
  console.log(`first page, ${edgeIngest.alertsPerSec.toFixed(0)} alerts/s + herd on the edge: ${edgeProbes.received}/${PROBES} p50 ${edgeProbes.p50?.toFixed(2)} ms p99 ${edgeProbes.p99?.toFixed(2)} ms`);
  console.log(`load average at end: ${load()}`);
  const round = (v) => +v.toFixed(2);
  console.log(JSON.stringify({ fbRps: round(fbHerd.rps), fbP99: round(fbHerd.p99), floorRps: round(floorHerd.rps), floorP99: round(floorHerd.p99), ratio: round(ratio), edge: { rps: round(edgeHerd.rps), p99: round(edgeHerd.p99), ratio: round(edgeRatio), aloneRps: round(edgeAlone.rps), probes: edgeProbes }, alone: { fbRps: round(fbAlone.rps), fbP99: round(fbAlone.p99), floorRps: round(floorAlone.rps), floorP99: round(floorAlone.p99), floorHeadersRps: round(floorHeadersAlone.rps) }, floorAtEdgeNice: { rps: round(floorNiceHerd.rps), p99: round(floorNiceHerd.p99) }, quiet, herd: herdProbes, ingest: { quiet: round(quietIngest.alertsPerSec), herd: round(herdIngest.alertsPerSec), floor: round(floorIngest.alertsPerSec) } }));
  if (edgeHerd.perPath.some((r) => r.non2xx > 0)) { console.error('the public edge answered non-2xx to the herd'); exitCode = 1; }
  if (quiet.received < PROBES || herdProbes.received < PROBES || edgeProbes.received < PROBES) { console.error('some probe alerts never paged'); exitCode = 1; }
  if (fbHerd.perPath.some((r) => r.non2xx > 0)) { console.error('Firebreak answered non-2xx to the herd'); exitCode = 1; }
} finally {
  await floor?.stop();
  await floorHeaders?.stop();
  await floorNice?.stop();
  await Promise.race([fbProc.stop(), sleep(5000)]);
  await rx.stop();
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
