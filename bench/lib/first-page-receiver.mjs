// Notification receiver for bench/first-page.mjs, in its own process (forked with IPC). Records
// the first arrival of each bench id: Alertmanager webhooks carry it as the `bench_id` label of
// each alert, Firebreak's incident webhooks as the incident title (the alert's summary).
// Times are wall-clock ms with sub-ms precision (timeOrigin + now), comparable with the sender's.
// IPC: sends {url} once listening; answers {type:'dump'} with {arrivals: [[id, ms], ...]} and
// forgets them; {type:'count'} with {count}.
import { createServer } from 'node:http';

const arrivals = new Map();
const now = () => performance.timeOrigin + performance.now();

const server = createServer((req, res) => {
  const at = now();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200).end('ok');
    let body;
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return; }
    const ids = Array.isArray(body?.alerts)
      ? body.alerts.map((a) => a?.labels?.bench_id)
      : [body?.data?.incident?.title];
    for (const id of ids) if (typeof id === 'string' && !arrivals.has(id)) arrivals.set(id, at);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ type: 'url', url: `http://127.0.0.1:${server.address().port}/hook` }));
process.on('message', (m) => {
  if (m?.type === 'count') process.send?.({ type: 'count', count: arrivals.size });
  if (m?.type === 'dump') {
    process.send?.({ type: 'dump', arrivals: [...arrivals.entries()] });
    arrivals.clear();
  }
});
process.on('disconnect', () => process.exit(0));
