// The ceiling a Node.js HTTP server reaches on this machine under the ingest benchmark's load,
// with no work at all: read the body, JSON.parse it, answer 200. Nothing is validated or stored.
// Run by bench/ingest.mjs beside Alertmanager, to show what any Node.js ingest endpoint can do here.
// Prints {"url","pid"} on stdout. Env: FLOOR_PROCESSES (default 1; 2 = node:cluster, two workers
// sharing the port).
import cluster from 'node:cluster';
import http from 'node:http';

const processes = Number(process.env.FLOOR_PROCESSES ?? 1);
const port = Number(process.env.PORT ?? 0);

function serve(listenPort) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let status = 200;
      let body = '{"status":"success"}';
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        status = 400;
        body = '{"error":"bad json"}';
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  server.listen(listenPort, '127.0.0.1', () => {
    if (cluster.isPrimary) process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}`, pid: process.pid }) + '\n');
    else process.send?.({ listening: server.address().port });
  });
}

if (processes > 1 && cluster.isPrimary) {
  // Workers must share a fixed port: the primary picks one, then forks.
  const probe = http.createServer().listen(0, '127.0.0.1', () => {
    const chosen = probe.address().port;
    probe.close(() => {
      let ready = 0;
      for (let i = 0; i < processes; i += 1) {
        const worker = cluster.fork({ PORT: String(chosen) });
        worker.on('message', () => {
          ready += 1;
          if (ready === processes) process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${chosen}`, pid: process.pid }) + '\n');
        });
      }
    });
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  serve(port);
}
