// The public edge's cost per request in instructions, not seconds (issue 12, outage-day herd):
// on a shared 2-vCPU VM the herd's req/s swing by a third from one ten seconds to the next, so
// this counts what each server executes per answered request under valgrind's callgrind, which
// gives the same count run after run whatever else the machine does. Three servers answer the same
// status page and summary.json (built by bench/lib/herd-server.mjs, as in the herd bench): the
// bare floor (bench/lib/bytes-floor.mjs, body and content type only), the same floor sending the
// answers' own headers, and the edge's app (bench/lib/edge-alone.mjs). Each is warmed up with
// BENCH_EI_WARMUP requests (default 30,000: the JIT settles), then BENCH_EI_REQUESTS (default
// 4,000) are counted, alternating the two paths over one keep-alive connection.
// Needs valgrind (Debian's package) and dist/ (`npm run build`).
import { execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonLine, message, startChild } from './lib/child.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const WARMUP = Number(process.env.BENCH_EI_WARMUP ?? 30_000);
const REQUESTS = Number(process.env.BENCH_EI_REQUESTS ?? 4_000);
const PATHS = ['/status/acme', '/status/acme/api/v2/summary.json'];
const NODE_ADDS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
if (!existsSync(join(here, '..', 'dist', 'app', 'server.js'))) { console.error('dist/ is missing: run `npm run build` first'); process.exit(1); }
try { execFileSync('valgrind', ['--version']); } catch { console.error('valgrind is missing (apt-get install valgrind)'); process.exit(1); }

const dir = mkdtempSync(join(tmpdir(), 'firebreak-ei-'));
const dbUrl = `sqlite:${join(dir, 'fb.db')}`;

/** The herd bench's page, written to a SQLite file, and its answers as the edge sends them. */
async function prepare() {
  const rx = await startChild(fork(join(here, 'lib', 'first-page-receiver.mjs'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }), { name: 'first-page-receiver', ready: message() });
  const fb = await startChild(spawn(process.execPath, [join(here, 'lib', 'herd-server.mjs')], { env: { ...process.env, DATABASE_URL: dbUrl, HOOK_URL: rx.value.url }, stdio: ['ignore', 'pipe', 'pipe'] }), { name: 'herd-server', ready: jsonLine });
  const bytes = {};
  for (const p of PATHS) {
    const r = await fetch(fb.value.edgeUrl + p);
    bytes[p] = { type: r.headers.get('content-type'), headers: Object.fromEntries([...r.headers].filter(([name]) => !NODE_ADDS.has(name))), body: await r.text() };
  }
  writeFileSync(join(dir, 'bytes.json'), JSON.stringify(bytes));
  await fb.stop();
  await rx.stop();
}

/** Instructions per request of `script` (env `env`) under callgrind; `freeze`: its answer cache's clock stops after warm-up (edge-alone.mjs). */
async function count(name, script, env, freeze = false) {
  const out = join(dir, `callgrind.${name}`);
  const child = spawn('valgrind', ['-q', '--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${out}`, process.execPath, join(here, 'lib', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = await startChild(child, { name: `${script} under callgrind`, ready: jsonLine, timeoutMs: 300_000 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (p) => new Promise((resolve, reject) => http.get(started.value.url + p, { agent }, (r) => { r.resume(); r.on('end', () => (r.statusCode === 200 ? resolve() : reject(new Error(`${name}: HTTP ${r.statusCode} for ${p}`)))); }).on('error', reject));
  const run = async (n) => { for (let i = 0; i < n; i += 1) await get(PATHS[i % 2]); };
  const control = (...args) => execFileSync('callgrind_control', [...args, String(child.pid)], { stdio: 'ignore' });
  await run(WARMUP);
  if (freeze) child.kill('SIGUSR2');
  await run(WARMUP / 4);
  control('-z');
  control('-i', 'on');
  await run(REQUESTS);
  control('-i', 'off');
  control('-d');
  agent.destroy();
  await started.stop('SIGKILL');
  const dump = readdirSync(dir).filter((f) => f.startsWith(`callgrind.${name}`)).map((f) => readFileSync(join(dir, f), 'utf8')).find((t) => /^totals: [1-9]/m.test(t));
  if (!dump) throw new Error(`${name}: callgrind wrote no totals`);
  return Number(/^totals: (\d+)/m.exec(dump)[1]) / REQUESTS;
}

console.log(`edge-instructions benchmark — ${new Date().toISOString()}; callgrind instructions per request, ${REQUESTS} requests after ${WARMUP} of warm-up, alternating ${PATHS.join(', ')}\n`);
try {
  await prepare();
  const floor = await count('floor', 'bytes-floor.mjs', { FLOOR_BYTES: join(dir, 'bytes.json') });
  const floorHeaders = await count('floor-headers', 'bytes-floor.mjs', { FLOOR_BYTES: join(dir, 'bytes.json'), FLOOR_HEADERS: '1' });
  const edge = await count('edge', 'edge-alone.mjs', { DATABASE_URL: dbUrl }, true);
  const k = (v) => `${(v / 1000).toFixed(1)}k`;
  console.log(`floor (body and content type):        ${k(floor)} instructions/request`);
  console.log(`floor sending the answers' headers:   ${k(floorHeaders)} (×${(floorHeaders / floor).toFixed(3)} of the floor)`);
  console.log(`public edge (its app alone):          ${k(edge)} (×${(edge / floor).toFixed(3)} of the floor, ×${(edge / floorHeaders).toFixed(3)} of the same-headers floor)`);
  console.log(JSON.stringify({ floor: Math.round(floor), floorHeaders: Math.round(floorHeaders), edge: Math.round(edge) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
