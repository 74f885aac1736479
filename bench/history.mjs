// History bench (issue 13): generates years of incidents, alerts, timeline events and pages inside
// the database (bench/lib/history-sql.mjs), then measures over HTTP (Firebreak from dist/, in
// this process, real sockets):
//   - incident list pages (filters on status, severity, service, time; newest first), p50/p99;
//   - the metrics report for one year, all services; and one service, one quarter;
//   - the incident page of an incident with BENCH_HISTORY_BIG_TIMELINE events, time to first byte.
// On SQLite then PostgreSQL. Full size generates for ~25-30 min per database on a loaded 2-CPU
// machine: under `npm run bench` set BENCH_TIMEOUT_MINUTES=90 (or generate once with the reuse variables).
// Env: BENCH_HISTORY_SCALE (default 0.1 = 100,000 incidents, ×10 alerts, ×20 events; 1 = the full size),
//      BENCH_HISTORY_INCIDENTS (overrides the scale), BENCH_HISTORY_SERVICES (default 200),
//      BENCH_HISTORY_ONLY=sqlite|postgres, BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres; "" skips),
//      BENCH_HISTORY_SQLITE_FILE=/path/history.db and BENCH_HISTORY_PG_DB=name: generate into that file /
//      database and keep it; when it already holds a history of the same size it is reused as is
//      (migrations still run: a new migration is timed and printed). Without them the
//      databases are temporary (BENCH_HISTORY_KEEP=1 keeps them; their location is printed).
//      BENCH_HISTORY_GENERATE_ONLY=1 generates (or finds) the databases and measures nothing.
//      BENCH_HISTORY_LIST_RUNS (200 per list request), BENCH_HISTORY_REPORT_RUNS (10 year reports),
//      BENCH_HISTORY_TIMES=1 prints every request's time in the order they ran.
//      The same SQLITE_FILE / PG_DB variables run bench/ingest.mjs and bench/first-page.mjs on the kept history.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generatePostgres, generateSqlite, sizesFromEnv } from './lib/history-sql.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
if (!existsSync(join(dist, 'app', 'server.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const { openStore, migrateToLatest } = await import(join(dist, 'store', 'index.js'));
const { ensureDefaults } = await import(join(dist, 'domain', 'bootstrap.js'));
const { createApiKey } = await import(join(dist, 'domain', 'users', 'manage-api-keys.js'));
const { buildApp } = await import(join(dist, 'http', 'app.js'));
const { HealthRegistry } = await import(join(dist, 'http', 'health.js'));
const { MetricsRegistry } = await import(join(dist, 'observability', 'metrics.js'));
const { silentLogger } = await import(join(dist, 'core', 'logger.js'));
const { systemClock } = await import(join(dist, 'core', 'clock.js'));
const { warmReportCache } = await import(join(dist, 'domain', 'metrics', 'warm-report-cache.js'));

const sizes = sizesFromEnv(process.env);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ONLY = process.env.BENCH_HISTORY_ONLY;
const SQLITE_FILE = process.env.BENCH_HISTORY_SQLITE_FILE;
const PG_DB = process.env.BENCH_HISTORY_PG_DB;
const KEEP = process.env.BENCH_HISTORY_KEEP === '1';
const GENERATE_ONLY = process.env.BENCH_HISTORY_GENERATE_ONLY === '1';
const END = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;

const fmt = (n) => n.toLocaleString('en-US');
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/** Time to the response headers (first byte) and to the end of the body, in ms. */
function timedGet(base, path, token) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      const firstByte = performance.now() - t0;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
        else resolve({ firstByte, total: performance.now() - t0, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
  });
}

async function measure(base, token, label, path, runs) {
  // The first request warms caches; for the report it also builds the day cache of every
  // settled day not yet cached (report-day-cache.ts), so it is printed apart.
  const first = (await timedGet(base, path, token)).total;
  const totals = [];
  const firsts = [];
  let bytes = 0;
  // CPU of this process per request (server and client; on SQLite that includes the database):
  // a figure a loaded machine distorts much less than wall time.
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const r = await timedGet(base, path, token);
    totals.push(r.total);
    firsts.push(r.firstByte);
    bytes = r.body.length;
  }
  const cpu = process.cpuUsage(cpu0);
  if (process.env.BENCH_HISTORY_TIMES === '1') console.log(`    ${label}: ${totals.map((t) => t.toFixed(0)).join(' ')} ms, in order`);
  totals.sort((a, b) => a - b);
  firsts.sort((a, b) => a - b);
  const row = { label, runs, first, p50: pct(totals, 0.5), p99: pct(totals, 0.99), ttfbP50: pct(firsts, 0.5), ttfbP99: pct(firsts, 0.99), bytes, cpuMs: (cpu.user + cpu.system) / 1000 / runs };
  console.log(`  ${label.padEnd(58)} p50 ${row.p50.toFixed(1).padStart(7)} ms  p99 ${row.p99.toFixed(1).padStart(7)} ms  first byte p99 ${row.ttfbP99.toFixed(1).padStart(7)} ms  cpu ${row.cpuMs.toFixed(1).padStart(7)} ms/req  first request ${first.toFixed(0)} ms  ${fmt(bytes)} B`);
  return row;
}

async function prepare(url) {
  const store = openStore(url, { log: silentLogger });
  const t0 = performance.now();
  const { applied } = await migrateToLatest(store.dialect);
  if (applied.length) console.log(`  migrations ${applied.join(', ')}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const ctx = { actor: { type: 'system', name: 'bench' }, clock: systemClock, log: silentLogger, requestId: 'bench', store, incidentHooks: [] };
  await ensureDefaults({ ctx, input: { adminEmail: 'admin@bench.test' } });
  const admin = await store.db.selectFrom('users').select(['id', 'email', 'role']).where('email', '=', 'admin@bench.test').executeTakeFirstOrThrow();
  const severities = await store.db.selectFrom('severities').selectAll().execute();
  // A history of this size already there (a kept database): reuse it.
  const big = await store.db.selectFrom('incidents').select('id').where('number', '=', sizes.incidents + 1).where('title', '=', 'Incident with a long timeline').executeTakeFirst();
  return { store, admin, severities, reuse: big?.id ?? null };
}

async function runOn(name, url, sizeOf, finish) {
  console.log(`\n${name}: ${fmt(sizes.incidents)} incidents, ${fmt(sizes.incidents * sizes.alertsPerIncident)} alerts, ${fmt(sizes.incidents * sizes.eventsPerIncident + sizes.bigTimeline)} timeline events, ${sizes.services} services, ${sizes.years} years`);
  let { store, admin, severities, reuse } = await prepare(url);
  let bigId = reuse;
  const log = (line) => console.log(line);
  if (reuse) {
    console.log(`  reusing the history already in ${url}; database ${(await sizeOf()).toFixed(0)} MB`);
  } else {
    const t0 = performance.now();
    if (name === 'sqlite') {
      await store.close();
      const sqlite = new Database(url.replace(/^sqlite:/, ''));
      ({ bigId } = generateSqlite(sqlite, sizes, { end: END, severities }, log));
      sqlite.close();
      store = openStore(url, { log: silentLogger });
    } else {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      ({ bigId } = await generatePostgres(client, sizes, { end: END, severities }, log));
      await client.end();
    }
    console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(0)} s; database ${(await sizeOf()).toFixed(0)} MB`);
  }
  if (GENERATE_ONLY) {
    await store.close();
    await finish();
    return { name, rows: [] };
  }

  const ctx = { actor: { type: 'user', id: admin.id, name: admin.email, role: 'admin' }, clock: systemClock, log: silentLogger, requestId: 'bench', store, incidentHooks: [] };
  const { token } = await createApiKey({ ctx, input: { name: 'bench', scopes: ['admin'] } });
  const { app } = await buildApp({ store, clock: systemClock, log: silentLogger, metrics: new MetricsRegistry(), health: new HealthRegistry(), publicUrl: 'http://bench.test', version: 'bench', webRoot: null, incidentHooks: [] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${app.server.address().port}`;
  const iso = (ms) => new Date(ms).toISOString();
  const rows = [];
  const list = (q) => `/api/v1/incidents?${q}`;
  const month = `from=${encodeURIComponent(iso(END - 400 * DAY))}&to=${encodeURIComponent(iso(END - 370 * DAY))}`;
  const firstPage = JSON.parse((await timedGet(base, list('limit=50'), token)).body.toString());
  const LIST_RUNS = Number(process.env.BENCH_HISTORY_LIST_RUNS ?? 200);
  rows.push(await measure(base, token, 'list: newest first, no filter', list('limit=50'), LIST_RUNS));
  rows.push(await measure(base, token, 'list: page 2 (cursor)', list(`limit=50&cursor=${firstPage.nextCursor}`), LIST_RUNS));
  rows.push(await measure(base, token, 'list: status=resolved', list('status=resolved&limit=50'), LIST_RUNS));
  rows.push(await measure(base, token, 'list: status=open', list('status=open&limit=50'), LIST_RUNS));
  rows.push(await measure(base, token, 'list: severity=SEV1', list('severity=SEV1&limit=50'), LIST_RUNS));
  rows.push(await measure(base, token, 'list: service=service-150 (a quiet one)', list('service=service-150&limit=50'), LIST_RUNS));
  rows.push(await measure(base, token, 'list: one month a year ago', list(`${month}&limit=50`), LIST_RUNS));
  rows.push(await measure(base, token, 'list: SEV1 + service-3 + resolved + month', list(`severity=SEV1&service=service-3&status=resolved&${month}&limit=50`), LIST_RUNS));
  const year = `from=${encodeURIComponent(iso(END - 365 * DAY))}&to=${encodeURIComponent(iso(END))}`;
  const quarter = `from=${encodeURIComponent(iso(END - 91 * DAY))}&to=${encodeURIComponent(iso(END))}`;
  // What a start does 10 s in (the report scheduler's first pass), with the history's end as now.
  const warmStarted = performance.now();
  const warm = await warmReportCache({ ...ctx, clock: { now: () => END } }, () => new Promise((resolve) => setImmediate(resolve)));
  console.log(`  report facts readied as at start (warm-report-cache.ts)    ${(performance.now() - warmStarted).toFixed(0)} ms, ${warm.days} days, ${fmt(warm.incidents)} incidents`);
  rows.push(await measure(base, token, 'report: one year, all services (month buckets)', `/api/v1/reports/incidents?${year}&bucket=month`, Number(process.env.BENCH_HISTORY_REPORT_RUNS ?? 10)));
  rows.push(await measure(base, token, 'report: one service, one quarter', `/api/v1/reports/incidents?${quarter}&service=service-3`, 20));
  rows.push(await measure(base, token, `incident page: GET incident (${fmt(sizes.bigTimeline)} events)`, `/api/v1/incidents/${bigId}`, 50));
  rows.push(await measure(base, token, 'incident page: GET timeline (first page, 500)', `/api/v1/incidents/${bigId}/timeline`, 50));
  await app.close();
  await store.close();
  await finish();
  return { name, rows };
}

console.log(`history bench, ${new Date().toISOString()}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (ONLY !== 'postgres') {
  const dir = SQLITE_FILE ? null : mkdtempSync(join(tmpdir(), 'fb-history-'));
  const file = SQLITE_FILE ?? join(dir, 'history.db');
  const sizeOf = async () => ['', '-wal'].reduce((s, x) => s + (existsSync(file + x) ? statSync(file + x).size : 0), 0) / 1e6;
  await runOn('sqlite', `sqlite:${file}`, sizeOf, async () => {
    if (SQLITE_FILE || KEEP) console.log(`  kept ${file} (reuse: BENCH_HISTORY_SQLITE_FILE=${file})`);
    else rmSync(dir, { recursive: true, force: true });
  });
}
if (ONLY !== 'sqlite' && PG_URL) {
  const name = PG_DB ?? `fb_history_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount > 0;
  if (!exists) await admin.query(`create database ${name}`);
  const url = PG_URL.replace(/\/[^/]*$/, `/${name}`);
  const sizeOf = async () => Number((await admin.query(`select pg_database_size('${name}') as s`)).rows[0].s) / 1e6;
  const drop = async () => {
    if (PG_DB || KEEP) console.log(`  kept ${url} (reuse: BENCH_HISTORY_PG_DB=${name})`);
    else await admin.query(`drop database if exists ${name} with (force)`);
  };
  try {
    await runOn('postgres', url, sizeOf, drop);
  } catch (error) {
    if (!PG_DB) await drop();
    throw error;
  }
  await admin.end();
}
console.log(`\ndone, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
