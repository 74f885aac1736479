// The best lateness any Node.js sender gets on this machine for bench/escalation.mjs's burst:
// no database, no claims, no retries — at each due time, sign and POST a webhook of the size
// Firebreak sends (Standard Webhooks HMAC, ~0.8 kB JSON), up to 64 in flight, keep-alive, to the
// same receiver process. Forked with IPC: {type:'burst', url, items:[[incidentId, dueAtMs], …]}
// starts it; {type:'stop'} answers {type:'stopped', cpuMs}.
import { createHmac } from 'node:crypto';
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const wallMs = () => performance.timeOrigin + performance.now();
const cpuStart = process.cpuUsage();

function body(incidentId, dueAt) {
  return JSON.stringify({
    type: 'incident.triggered',
    timestamp: new Date(dueAt).toISOString(),
    data: {
      deliveryId: `dlv_${incidentId}`,
      incident: { id: incidentId, number: 1, title: `Bench incident ${incidentId}`, summary: 'Escalation benchmark', severity: 'SEV1', status: 'triggered', service: null, url: `http://firebreak.test/incidents/${incidentId}` },
      recipient: { id: 'usr_bench', name: 'Bench Responder', email: 'bench@example.test' },
      links: { acknowledge: `http://firebreak.test/ack/${'a'.repeat(160)}`, resolve: `http://firebreak.test/ack/${'b'.repeat(160)}` },
    },
  });
}

function send(url, incidentId, dueAt) {
  return new Promise((resolve) => {
    const payload = body(incidentId, dueAt);
    const id = `msg_${incidentId}`;
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v1,${createHmac('sha256', 'bench-secret-of-the-floor-sender').update(`${id}.${ts}.${payload}`).digest('base64')}`;
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature } },
      (res) => { res.resume(); res.on('end', resolve); },
    );
    req.on('error', resolve);
    req.end(payload);
  });
}

function run(url, items) {
  let next = 0;
  let inFlight = 0;
  let timer = null;
  const pump = () => {
    timer = null;
    while (inFlight < 64 && next < items.length) {
      const [incidentId, dueAt] = items[next];
      const wait = dueAt - wallMs();
      if (wait > 0) {
        timer ??= setTimeout(pump, wait);
        return;
      }
      next += 1;
      inFlight += 1;
      void send(url, incidentId, dueAt).then(() => { inFlight -= 1; if (!timer) pump(); });
    }
  };
  pump();
}

process.on('message', (m) => {
  if (m?.type === 'burst') run(new URL(m.url), m.items);
  if (m?.type === 'stop') {
    const cpu = process.cpuUsage(cpuStart);
    process.send?.({ type: 'stopped', cpuMs: (cpu.user + cpu.system) / 1000 });
  }
});
process.send?.({ type: 'ready' });
