// The HTTP floor for bench/outage-herd.mjs: bare Node.js http answering GET <path> with the bytes
// and content type given in the JSON file FLOOR_BYTES ({path: {type, body}}), nothing else (no
// routing library, no headers beyond content-type). Prints {"url","pid"} on stdout.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const answers = new Map(Object.entries(JSON.parse(readFileSync(process.env.FLOOR_BYTES, 'utf8'))).map(([p, a]) => [p, { type: a.type, bytes: Buffer.from(a.body, 'utf8') }]));
const server = http.createServer((req, res) => {
  const a = answers.get(req.url);
  if (!a) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': a.type, 'content-length': a.bytes.length }).end(a.bytes);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}`, pid: process.pid }) + '\n'));
process.on('SIGTERM', () => process.exit(0));
