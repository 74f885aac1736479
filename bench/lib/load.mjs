// Load generator in its own process: POSTs Alertmanager API alert batches (distinct label sets)
// over `connections` keep-alive connections for `seconds`, then prints a JSON summary.
// argv: url authHeader|- alertsPerRequest connections seconds runTag [totalRequests]
import http from 'node:http';

const [url, auth, perReqS, connS, secondsS, tag, totalS] = process.argv.slice(2);
const perRequest = Number(perReqS);
const connections = Number(connS);
const seconds = Number(secondsS);
const total = totalS ? Number(totalS) : Infinity;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies = [];
let sent = 0;
let ok = 0;
let errors = 0;
let seq = 0;
const started = performance.now();
const deadline = started + seconds * 1000;

function body() {
  const now = Date.now();
  const alerts = [];
  for (let i = 0; i < perRequest; i += 1) {
    const n = seq++;
    alerts.push({
      labels: { alertname: `Bench${n % 50}`, instance: `host-${tag}-${n}`, job: 'bench', severity: 'warning' },
      annotations: { summary: `bench alert ${n}` },
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
    });
  }
  return JSON.stringify(alerts);
}

function one() {
  return new Promise((resolve) => {
    const payload = body();
    const t0 = performance.now();
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
    if (auth !== '-') headers.authorization = auth;
    const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - t0);
        if (res.statusCode >= 200 && res.statusCode < 300) ok += 1; else errors += 1;
        resolve();
      });
    });
    req.on('error', () => { errors += 1; resolve(); });
    req.end(payload);
  });
}

async function worker() {
  while (performance.now() < deadline && sent < total) {
    sent += 1;
    await one();
  }
}
await Promise.all(Array.from({ length: connections }, worker));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(JSON.stringify({ requests: ok, errors, alerts: ok * perRequest, seconds: elapsed, alertsPerSec: (ok * perRequest) / elapsed, p50: pct(0.5), p99: pct(0.99) }) + '\n');
agent.destroy();
