// Outage-day herd (issue 12): the public status page and its summary.json read by a herd (wrk)
// while 1,000 alerts/s are ingested into the same Firebreak process (SQLite temp file, from
// dist/). Reports, in one run:
//   - read throughput and p99 of Firebreak's public edge (FIREBREAK_PUBLIC_PORT: a thread and
//     listener of its own) vs a bare Node.js http server answering the same bytes
//     (bench/lib/bytes-floor.mjs), both under the same 1,000 alerts/s into Firebreak, in
//     BENCH_HERD_ROUNDS rounds whose order turns each round: a machine whose speed drifts from one
//     ten seconds to the next (a shared VM) weighs on both alike, and each round's ratio is of two
//     herds measured side by side; the figure is the median of the rounds' ratios;
//   - first-page latency (alert in → signed webhook page received) of probe alerts sent while the
//     herd reads from the edge, against the same probes with the ingest load but no herd, taken in
//     the same rounds, and against the same probes while the herd reads from the bare floor; each
//     change in p50 with a 95% bootstrap interval (bench/lib/p50-change.mjs), so that a change the
//     run cannot tell from its own noise says so;
//   - for diagnosis, once: the herd on Firebreak's main listener (on the same event loop as ingest
//     and paging), the floor at the edge thread's CPU priority, and the herds without any ingest.
// Env: BENCH_HERD_SECONDS (default 10 per phase), BENCH_HERD_CONNECTIONS (default 32 per path),
//      BENCH_HERD_RATE (alerts/s, default 1000), BENCH_HERD_PROBES (default 120 per round, 60 ms
//      apart), BENCH_HERD_ROUNDS (default 3), FIREBREAK_PUBLIC_NICE (passed on to Firebreak),
//      BENCH_HERD_SERVER_NICE (start Firebreak at this nice value, e.g. -5 as root: its main thread
//      above normal priority and its edge thread, 5 below it, at normal priority).
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonLine, message, startChild } from './lib/child.mjs';
import { describeChange, p50Change } from './lib/p50-change.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_HERD_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_HERD_CONNECTIONS ?? 32);
const RATE = Number(process.env.BENCH_HERD_RATE ?? 1000);
const PROBES = Number(process.env.BENCH_HERD_PROBES ?? 120);
const ROUNDS = Number(process.env.BENCH_HERD_ROUNDS ?? 3);
const SERVER_NICE = process.env.BENCH_HERD_SERVER_NICE;
const PROBE_SPACING_MS = 60;
const WRK = '/usr/bin/wrk';
const PATHS = ['/status/acme', '/status/acme/api/v2/summary.json'];
/** Headers Node's http server writes itself (the floors get them from Node as Firebreak does). */
const NODE_ADDS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

if (!existsSync(join(here, '..', 'dist', 'app', 'server.js'))) { console.error('dist/ is missing: run `npm run build` first'); process.exit(1); }
if (!existsSync(WRK)) { console.error(`${WRK} is missing`); process.exit(1); }
const watchdog = setTimeout(() => { console.error('outage-herd: timed out'); process.exit(1); }, 120_000 + ROUNDS * 3 * (SECONDS + 12) * 1000);
watchdog.unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallMs = () => performance.timeOrigin + performance.now();
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function startScript(script, env, nice) {
  const command = nice === undefined ? [process.execPath, join(here, 'lib', script)] : ['nice', '-n', nice, process.execPath, join(here, 'lib', script)];
  const child = spawn(command[0], command.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  return { received: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99), lat };
}
/** Probe results of several rounds as one. */
const pooled = (runs) => {
  const lat = runs.flatMap((r) => r.lat).sort((a, b) => a - b);
  return { received: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
};
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

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

console.log(`outage-herd benchmark — ${new Date().toISOString()} — ${cpus().length} CPUs (${cpus()[0]?.model}), load ${load()}; ${RATE} alerts/s ingested; wrk -t1 -c${CONNECTIONS} -d${SECONDS}s on each of ${PATHS.join(', ')}; ${ROUNDS} rounds${SERVER_NICE === undefined ? '' : `; Firebreak started at nice ${SERVER_NICE}`}`);
const dir = mkdtempSync(join(tmpdir(), 'firebreak-herd-'));
const rx = await startReceiver();
const fbProc = await startScript('herd-server.mjs', { DATABASE_URL: `sqlite:${join(dir, 'fb.db')}`, HOOK_URL: rx.url }, SERVER_NICE);
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

  /** One phase with the ingest load running: `work` meanwhile, then the ingest's rate. */
  const ingesting = async (work) => {
    const ingest = ingestLoad(fb);
    await sleep(500);
    const result = await work();
    const rate = ingest.stop();
    await sleep(1000);
    return [result, rate];
  };
  // 1. Rounds, each: no herd (probes only), the herd on the public edge (probes meanwhile), the
  // same herd on the bare floor; the order turns each round.
  const rounds = [];
  const steps = {
    quiet: async (r) => { [r.quiet, r.quietIngest] = await ingesting(() => probes(fb, rx, `quiet${rounds.length}`)); },
    edge: async (r) => { [[r.edge, r.edgeProbes], r.edgeIngest] = await ingesting(() => Promise.all([herd(fb.edgeUrl), probes(fb, rx, `edge${rounds.length}`)])); },
    floor: async (r) => { [[r.floor, r.floorProbes], r.floorIngest] = await ingesting(() => Promise.all([herd(floor.info.url), probes(fb, rx, `floor${rounds.length}`)])); },
  };
  const orders = [['quiet', 'edge', 'floor'], ['floor', 'quiet', 'edge'], ['edge', 'floor', 'quiet']];
  for (let i = 0; i < ROUNDS; i += 1) {
    const r = {};
    for (const step of orders[i % orders.length]) await steps[step](r);
    r.ratio = r.edge.rps / r.floor.rps;
    rounds.push(r);
    console.log(`round ${i + 1}: edge ${r.edge.rps.toFixed(0)} req/s p99 ${r.edge.p99.toFixed(2)} ms, floor ${r.floor.rps.toFixed(0)} req/s p99 ${r.floor.p99.toFixed(2)} ms: ×${r.ratio.toFixed(2)}; first page p50/p99 no herd ${r.quiet.p50.toFixed(1)}/${r.quiet.p99.toFixed(1)} ms, herd on the edge ${r.edgeProbes.p50.toFixed(1)}/${r.edgeProbes.p99.toFixed(1)} ms, herd on the floor ${r.floorProbes.p50.toFixed(1)}/${r.floorProbes.p99.toFixed(1)} ms; ingest ${r.quietIngest.alertsPerSec.toFixed(0)}/${r.edgeIngest.alertsPerSec.toFixed(0)}/${r.floorIngest.alertsPerSec.toFixed(0)} alerts/s`);
  }
  const quiet = pooled(rounds.map((r) => r.quiet));
  const edgeProbes = pooled(rounds.map((r) => r.edgeProbes));
  const floorProbes = pooled(rounds.map((r) => r.floorProbes));
  // The edge's herd against no herd, and against the same herd on the bare floor, round by round.
  const byRound = (key) => rounds.map((r) => r[key].lat);
  const edgeVsQuiet = p50Change(byRound('quiet'), byRound('edgeProbes'));
  const edgeVsFloorHerd = p50Change(byRound('floorProbes'), byRound('edgeProbes'));
  const floorHerdVsQuiet = p50Change(byRound('quiet'), byRound('floorProbes'));
  const edgeRatio = median(rounds.map((r) => r.ratio));
  const edgeP99 = Math.max(...rounds.map((r) => r.edge.p99));

  // 2. For diagnosis, once each: the herd on Firebreak's main listener (probes meanwhile), and the
  // floor at the edge thread's CPU priority, both ingesting.
  const [[fbHerd, herdProbes], herdIngest] = await ingesting(() => Promise.all([herd(fb.url), probes(fb, rx, 'herd')]));
  const [floorNiceHerd] = await ingesting(() => herd(floorNice.info.url));
  const floorMedianRps = median(rounds.map((r) => r.floor.rps));

  // 3. For diagnosis: the herds without any ingest (what the serving path costs alone).
  const fbAlone = await herd(fb.url);
  const edgeAlone = await herd(fb.edgeUrl);
  const floorAlone = await herd(floor.info.url);
  const floorHeadersAlone = await herd(floorHeaders.info.url);

  const ratio = fbHerd.rps / floorMedianRps;
  const non2xx = (h) => h.perPath.reduce((s, r) => s + r.non2xx, 0);
  console.log(`\nbytes: page ${bytes[PATHS[0]].body.length} B, summary.json ${bytes[PATHS[1]].body.length} B`);
  console.log(`public edge, ingesting: ×${edgeRatio.toFixed(2)} of the floor, the median of ${ROUNDS} rounds (${rounds.map((r) => `×${r.ratio.toFixed(2)}`).join(', ')}; target ≥ 0.8); p99 at most ${edgeP99.toFixed(2)} ms (target ≤ 20); non-2xx ${rounds.reduce((s, r) => s + non2xx(r.edge), 0)}`);
  console.log(`first page, ${RATE} alerts/s, no herd:           ${quiet.received}/${PROBES * ROUNDS} p50 ${quiet.p50?.toFixed(2)} ms p99 ${quiet.p99?.toFixed(2)} ms`);
  console.log(`first page, ${RATE} alerts/s + herd on the edge: ${edgeProbes.received}/${PROBES * ROUNDS} p50 ${edgeProbes.p50?.toFixed(2)} ms p99 ${edgeProbes.p99?.toFixed(2)} ms (change ${(edgeProbes.p50 - quiet.p50).toFixed(2)} / ${(edgeProbes.p99 - quiet.p99).toFixed(2)} ms)`);
  console.log(`diagnosis:   first page while the same herd reads from the bare floor instead (a process Firebreak has no part in; the herd's client, the probes' sender and receiver share the CPUs): p50 ${floorProbes.p50?.toFixed(2)} ms p99 ${floorProbes.p99?.toFixed(2)} ms (change ${(floorProbes.p50 - quiet.p50).toFixed(2)} / ${(floorProbes.p99 - quiet.p99).toFixed(2)} ms)`);
  console.log(`first page p50, change: the herd on the edge against no herd ${describeChange(edgeVsQuiet)}; the same herd on the bare floor against no herd ${describeChange(floorHerdVsQuiet)}; the herd on the edge against the herd on the bare floor ${describeChange(edgeVsFloorHerd)}`);
  console.log(`diagnosis:   the main listener ${fbHerd.rps.toFixed(0)} req/s p99 ${fbHerd.p99.toFixed(2)} ms (non-2xx ${non2xx(fbHerd)}) while ingesting ${herdIngest.alertsPerSec.toFixed(0)} alerts/s: ×${ratio.toFixed(2)} of the floor's median; first page meanwhile p50 ${herdProbes.p50?.toFixed(2)} ms p99 ${herdProbes.p99?.toFixed(2)} ms`);
  console.log(`diagnosis:   the floor at the edge's nice ${fb.edgeNice ?? 0}, while ingesting: ${floorNiceHerd.rps.toFixed(0)} req/s p99 ${floorNiceHerd.p99.toFixed(2)} ms, ×${(floorNiceHerd.rps / floorMedianRps).toFixed(2)} of the floor's median (what the priority costs a herd whose client shares the CPUs)`);
  console.log(`no ingest:  Firebreak ${fbAlone.rps.toFixed(0)} req/s p99 ${fbAlone.p99.toFixed(2)} ms, edge ${edgeAlone.rps.toFixed(0)} req/s p99 ${edgeAlone.p99.toFixed(2)} ms (×${(edgeAlone.rps / floorAlone.rps).toFixed(2)}), floor ${floorAlone.rps.toFixed(0)} req/s p99 ${floorAlone.p99.toFixed(2)} ms (×${(fbAlone.rps / floorAlone.rps).toFixed(2)})`);
  console.log(`no ingest:  floor sending the answers' own ${Object.keys(bytes[PATHS[1]].headers).length} headers ${floorHeadersAlone.rps.toFixed(0)} req/s p99 ${floorHeadersAlone.p99.toFixed(2)} ms: the edge ×${(edgeAlone.rps / floorHeadersAlone.rps).toFixed(2)} of it (diagnosis: the gap left once the floor pays Node's own cost of those headers too)`);
  console.log(`load average at end: ${load()}`);
  const round = (v) => +v.toFixed(2);
  const probe = (p) => ({ received: p.received, p50: round(p.p50), p99: round(p.p99) });
  console.log(JSON.stringify({ edge: { ratio: round(edgeRatio), p99: round(edgeP99), rounds: rounds.map((r) => ({ edgeRps: round(r.edge.rps), floorRps: round(r.floor.rps), ratio: round(r.ratio), edgeP99: round(r.edge.p99) })), aloneRps: round(edgeAlone.rps), nice: fb.edgeNice ?? 0 }, firstPage: { quiet: probe(quiet), edge: probe(edgeProbes), floorHerd: probe(floorProbes), mainListener: probe(herdProbes), p50Change: Object.fromEntries(Object.entries({ edgeVsQuiet, floorHerdVsQuiet, edgeVsFloorHerd }).map(([k, c]) => [k, [round(c.change), round(c.low), round(c.high)]])) }, mainListener: { rps: round(fbHerd.rps), p99: round(fbHerd.p99), ratio: round(ratio) }, alone: { fbRps: round(fbAlone.rps), floorRps: round(floorAlone.rps), floorHeadersRps: round(floorHeadersAlone.rps) }, floorAtEdgeNice: { rps: round(floorNiceHerd.rps), p99: round(floorNiceHerd.p99) }, serverNice: SERVER_NICE ?? null }));
  if (rounds.some((r) => non2xx(r.edge) > 0)) { console.error('the public edge answered non-2xx to the herd'); exitCode = 1; }
  if (quiet.received < PROBES * ROUNDS || edgeProbes.received < PROBES * ROUNDS || floorProbes.received < PROBES * ROUNDS || herdProbes.received < PROBES) { console.error('some probe alerts never paged'); exitCode = 1; }
  if (non2xx(fbHerd) > 0) { console.error('Firebreak answered non-2xx to the herd'); exitCode = 1; }
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
