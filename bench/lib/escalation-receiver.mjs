// Webhook receiver for bench/escalation.mjs, in its own process (forked with IPC), so its CPU
// competes with the workers as a real receiver on the same machine would, but is not counted
// in theirs. Records every arrival: [incident id, webhook-id, wall-clock ms with sub-ms
// precision (timeOrigin + now), comparable with the parent's due times].
// IPC: sends {type:'url'} once listening; answers {type:'count'} with {count} (distinct
// incidents) and {type:'dump'} with {arrivals}.
import { createServer } from 'node:http';

const arrivals = [];
const incidents = new Set();
const now = () => performance.timeOrigin + performance.now();

const server = createServer((req, res) => {
  const at = now();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200).end('ok');
    let incidentId = null;
    try { incidentId = JSON.parse(Buffer.concat(chunks).toString('utf8'))?.data?.incident?.id ?? null; } catch { /* counted as unknown */ }
    arrivals.push([incidentId, String(req.headers['webhook-id']), at]);
    if (incidentId) incidents.add(incidentId);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ type: 'url', url: `http://127.0.0.1:${server.address().port}/hook` }));
process.on('message', (m) => {
  if (m?.type === 'count') process.send?.({ type: 'count', count: incidents.size });
  if (m?.type === 'dump') process.send?.({ type: 'dump', arrivals });
});
process.on('disconnect', () => process.exit(0));
