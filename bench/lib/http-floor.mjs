// The ceiling a Node.js HTTP server reaches on this machine under the ingest benchmark's load.
// By default it does no work at all: read the body, JSON.parse it, answer 200; nothing is
// validated or stored. With FLOOR_SQLITE=<file> (the "stored" floor) it also keeps each alert as
// one row before answering, and nothing more: a dedup key (FNV-1a of its labels) under a unique
// index and its labels, upserted in one group-commit transaction per event-loop turn and made
// durable the way Firebreak does it (WAL, synchronous=NORMAL, fdatasync of the -wal file on the
// threadpool); FLOOR_SQLITE_APPEND=1 drops the index (a plain append, no dedup). No validation,
// routing, grouping or raw payload either way. Run by bench/ingest.mjs beside Alertmanager.
// Prints {"url","pid"} on stdout. Env: FLOOR_PROCESSES (default 1; 2 = node:cluster, two workers
// sharing the port and, when storing, the same SQLite file: the primary sets the file up (WAL,
// schema) before it forks, since two connections switching a new file to WAL at once make one
// fail with SQLITE_BUSY; a worker that exits before it listens ends the primary with exit 1).
import cluster from 'node:cluster';
import { fdatasync, openSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';

const processes = Number(process.env.FLOOR_PROCESSES ?? 1);
const port = Number(process.env.PORT ?? 0);
const sqliteFile = process.env.FLOOR_SQLITE;

const append = process.env.FLOOR_SQLITE_APPEND === '1';
const openDatabase = (file) => {
  const db = new (createRequire(import.meta.url)('better-sqlite3'))(file);
  // Both cluster workers write the same file: each waits for the other's transaction.
  db.pragma('busy_timeout = 10000');
  return db;
};

/** WAL (persistent in the file) and the schema, once, before any worker opens the file. */
function prepareSqlite(file) {
  const db = openDatabase(file);
  db.pragma('journal_mode = WAL');
  db.exec('create table if not exists alerts (id integer primary key, dedup_key text not null, labels text not null, count integer not null, last_seen_at integer not null)');
  // The append variant: no index, no dedup: the least any durable store does.
  if (!append) db.exec('create unique index if not exists alerts_key on alerts (dedup_key)');
  return db;
}

/** Group commit of alert rows: `store(alerts, done)` calls `done` once they are on disk. */
function sqliteStore(file) {
  const db = processes > 1 ? openDatabase(file) : prepareSqlite(file);
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') throw new Error(`${file} is not in WAL mode`);
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 10000');
  const upsert = append
    ? db.prepare('insert into alerts (dedup_key, labels, count, last_seen_at) values (?, ?, 1, ?)')
    : db.prepare('insert into alerts (dedup_key, labels, count, last_seen_at) values (?, ?, 1, ?) on conflict (dedup_key) do update set count = count + 1, last_seen_at = excluded.last_seen_at');
  const commit = db.transaction((rows, now) => { for (const [key, labels] of rows) upsert.run(key, labels, now); });
  const walFd = openSync(`${file}-wal`, 'r+');
  let rows = [];
  let waiters = [];
  let scheduled = false;
  const dedupKey = (labels) => {
    let h = 0x811c9dc5;
    for (const name of Object.keys(labels).sort()) {
      const part = `${name}\u0000${labels[name]}\u0001`;
      for (let i = 0; i < part.length; i += 1) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193) >>> 0;
    }
    return h.toString(16);
  };
  const flush = () => {
    scheduled = false;
    const batch = rows;
    const done = waiters;
    rows = [];
    waiters = [];
    try {
      commit(batch, Date.now());
    } catch (error) {
      for (const w of done) w(error);
      return;
    }
    fdatasync(walFd, (error) => { for (const w of done) w(error); });
  };
  return (alerts, done) => {
    for (const a of Array.isArray(alerts) ? alerts : []) {
      const labels = a && typeof a.labels === 'object' && a.labels ? a.labels : {};
      rows.push([dedupKey(labels), JSON.stringify(labels)]);
    }
    waiters.push(done);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

function serve(listenPort) {
  const store = sqliteFile ? sqliteStore(sqliteFile) : null;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const answer = (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      };
      let alerts;
      try {
        alerts = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(400, '{"error":"bad json"}');
      }
      if (!store) return answer(200, '{"status":"success"}');
      store(alerts, (error) => (error ? answer(500, '{"error":"not stored"}') : answer(200, '{"status":"success"}')));
    });
  });
  server.listen(listenPort, '127.0.0.1', () => {
    if (cluster.isPrimary) process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}`, pid: process.pid }) + '\n');
    else process.send?.({ listening: server.address().port });
  });
}

if (processes > 1 && cluster.isPrimary) {
  // Kept open so the -wal file outlives the workers' start-up (each opens it for fdatasync).
  if (sqliteFile) prepareSqlite(sqliteFile);
  // Workers must share a fixed port: the primary picks one, then forks.
  const probe = http.createServer().listen(0, '127.0.0.1', () => {
    const chosen = probe.address().port;
    probe.close(() => {
      let ready = 0;
      for (let i = 0; i < processes; i += 1) {
        const worker = cluster.fork({ PORT: String(chosen) });
        worker.on('exit', (code, signal) => {
          if (ready < processes) {
            process.stderr.write(`http-floor: worker ${i + 1} of ${processes} exited (${signal ?? `code ${code}`}) before it listened\n`);
            for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
            process.exit(1);
          }
        });
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
