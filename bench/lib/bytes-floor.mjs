// The HTTP floor for bench/outage-herd.mjs: bare Node.js http answering GET <path> with the bytes
// and content type given in the JSON file FLOOR_BYTES ({path: {type, body, headers}}), nothing else
// (no routing library, no headers beyond content-type). With FLOOR_HEADERS=1 it sends the answer's
// own headers instead (`headers`: everything Firebreak sent but what Node adds itself), as a flat
// list made once: what the same bytes cost Node with nothing of Firebreak's. With FLOOR_NICE=n it
// serves n nice steps below where it was started, as the public edge thread runs below its main
// thread (FIREBREAK_PUBLIC_NICE). Prints {"url","pid"}.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { getPriority, setPriority } from 'node:os';

if (process.env.FLOOR_NICE) setPriority(Math.min(19, getPriority() + Number(process.env.FLOOR_NICE)));

const sameHeaders = process.env.FLOOR_HEADERS === '1';
const answers = new Map(Object.entries(JSON.parse(readFileSync(process.env.FLOOR_BYTES, 'utf8'))).map(([p, a]) => [p, { type: a.type, headers: Object.entries(a.headers ?? {}).flat(), bytes: Buffer.from(a.body, 'utf8') }]));
const server = http.createServer((req, res) => {
  const a = answers.get(req.url);
  if (!a) return res.writeHead(404).end();
  res.writeHead(200, sameHeaders ? a.headers : { 'content-type': a.type, 'content-length': a.bytes.length }).end(a.bytes);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}`, pid: process.pid }) + '\n'));
process.on('SIGTERM', () => process.exit(0));
