// The public edge's app (src/http/public/edge-app.ts, from dist/) alone in a process, for
// bench/edge-instructions.mjs to run under callgrind: the same listener, fast path, cache and
// connection limits as the edge thread, on the SQLite file DATABASE_URL names, without the rest of
// Firebreak (whose own work would be counted too). On SIGUSR2 the clock the answer cache reads
// stops: under valgrind 1.5 s of cache life is a few hundred requests, and the count would be of
// rebuilding the page, which at native speed happens once in tens of thousands of requests.
// Prints {"url","pid"}.
const root = new URL('../../dist', import.meta.url).pathname;
const { openStore } = await import(`${root}/store/index.js`);
const { buildEdgeApp } = await import(`${root}/http/public/edge-app.js`);
const { systemClock } = await import(`${root}/core/clock.js`);
const { silentLogger } = await import(`${root}/core/logger.js`);
const { DEFAULT_HTTP_LIMITS } = await import(`${root}/http/connection-limits.js`);

const store = openStore(process.env.DATABASE_URL, { poolSize: 2 });
const { app } = await buildEdgeApp({ store, clock: systemClock, log: silentLogger, publicUrl: 'http://127.0.0.1', upstream: new URL('http://127.0.0.1:9'), httpLimits: DEFAULT_HTTP_LIMITS });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.on('SIGUSR2', () => {
  const frozen = performance.now();
  performance.now = () => frozen;
});
process.stdout.write(JSON.stringify({ url, pid: process.pid }) + '\n');
