// Bulk generator for the history bench (issue 13): teams, services, integrations, incidents,
// alerts and timeline events over three years, written straight to the tables in large batches
// (SQLite: one prepared statement per table inside big transactions; PostgreSQL: INSERT … SELECT
// FROM unnest($1::text[], …) with 5,000 rows a statement). The rows are what the app would write
// (same columns, same id shapes, same statuses and event kinds) but the generator skips the domain
// (no audit, no paging) because a million incidents through the API would take days.
// Deterministic: a seeded PRNG, so two runs with the same sizes produce the same history.

const DAY = 86_400_000;
const SEVERITIES = [['SEV1', 0.05], ['SEV2', 0.15], ['SEV3', 0.4], ['SEV4', 0.4]];
const EVENT_KINDS = ['note', 'status_changed', 'alert_attached', 'page_sent', 'role_assigned', 'severity_changed'];
const CADENCE_KINDS = ['update_deadline_kept', 'update_deadline_kept', 'update_deadline_kept', 'update_posted_late', 'update_deadline_missed'];
// Only SEV1/SEV2 incidents promise stakeholder updates; the first move out of triggered is an acknowledgement by the bench user.

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sortable ids shaped like the app's (`inc_` + 26 characters), unique by time then sequence. */
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function idOf(prefix, at, seq) {
  let t = '';
  let x = at;
  for (let i = 0; i < 10; i++) { t = B32[x % 32] + t; x = Math.floor(x / 32); }
  let r = '';
  let y = seq;
  for (let i = 0; i < 16; i++) { r = B32[y % 32] + r; y = Math.floor(y / 32); }
  return `${prefix}_${t}${r}`;
}

/** Heavy-tailed seconds: log-uniform between lo and hi. */
const logUniform = (rand, lo, hi) => Math.round(Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo))));

export const sizesFromEnv = (env) => {
  // Default a tenth: the full size takes over an hour per database, past bench/run.js's default timeout.
  const scale = Number(env.BENCH_HISTORY_SCALE ?? 0.1);
  return {
    incidents: Number(env.BENCH_HISTORY_INCIDENTS ?? Math.round(1_000_000 * scale)),
    alertsPerIncident: 10,
    eventsPerIncident: 20,
    services: Number(env.BENCH_HISTORY_SERVICES ?? 200),
    years: 3,
    bigTimeline: Number(env.BENCH_HISTORY_BIG_TIMELINE ?? 10_000),
  };
};

/**
 * Yields batches `{ table, rows }` (rows are arrays in COLUMNS[table] order). `end` is the last
 * moment of the history; incidents are spread evenly with jitter over `years` before it.
 */
export function* generateHistory(sizes, { end, userId, severities }) {
  const rand = prng(13);
  const start = end - sizes.years * 365 * DAY;
  const teams = [];
  for (let t = 0; t < Math.max(1, Math.round(sizes.services / 10)); t++) {
    teams.push([idOf('team', start, t), `team-${t}`, `Team ${t}`, null, start, start]);
  }
  yield { table: 'teams', rows: teams };
  const services = [];
  const integrations = [];
  for (let s = 0; s < sizes.services; s++) {
    services.push([idOf('svc', start, s), `service-${s}`, `Service ${s}`, '', teams[s % teams.length][0], null, start, start, null]);
    integrations.push([idOf('int', start, s), `int-${s}`, 'alertmanager', `bench-hash-${s}`, 'xxxx', services[s][0], '{}', 0, null, null, start, start]);
  }
  yield { table: 'services', rows: services };
  yield { table: 'integrations', rows: integrations };

  const target = new Map(severities.map((s) => [s.key, s]));
  const BATCH = 5_000;
  const span = end - start;
  let alertSeq = 0;
  let eventSeq = 0;
  for (let from = 0; from < sizes.incidents; from += BATCH) {
    const incidents = [];
    const alerts = [];
    const events = [];
    for (let n = from; n < Math.min(sizes.incidents, from + BATCH); n++) {
      const detected = start + Math.floor((n / sizes.incidents) * span) + Math.floor(rand() * 60_000);
      const r = rand();
      let acc = 0;
      let severity = SEVERITIES[3][0];
      for (const [key, p] of SEVERITIES) { acc += p; if (r < acc) { severity = key; break; } }
      const svc = Math.floor(Math.pow(rand(), 2) * sizes.services); // a few noisy services
      const serviceId = services[svc][0];
      const declared = detected + logUniform(rand, 1, 300) * 1000;
      const ackTarget = target.get(severity)?.ack_target_seconds ?? 900;
      const acked = rand() < 0.95 ? declared + logUniform(rand, 5, ackTarget * 4) * 1000 : null;
      const mitigated = (acked ?? declared) + logUniform(rand, 60, 6 * 3600) * 1000;
      const resolved = mitigated + logUniform(rand, 60, 24 * 3600) * 1000;
      const open = end - detected < 2 * DAY && rand() < 0.5;
      const status = open ? (acked ? 'investigating' : 'triggered') : 'resolved';
      const isDrill = rand() < 0.01 ? 1 : 0;
      const id = idOf('inc', declared, n);
      incidents.push([
        id, n + 1, `Incident ${n + 1} on service-${svc}`, '', severity, status, serviceId, isDrill, null,
        detected, declared, open && !acked ? null : acked, open ? null : mitigated, open ? null : resolved, open ? declared : resolved, 1, null, null, null,
      ]);
      for (let a = 0; a < sizes.alertsPerIncident; a++) {
        const at = detected + a * 30_000;
        alerts.push([
          idOf('alr', at, alertSeq++), integrations[svc][0], `dedup-${n}-${a}`, open ? 'firing' : 'resolved', `Alert ${a} of incident ${n + 1}`, null, 'critical', severity,
          `{"alertname":"A${a}","service":"service-${svc}"}`, '{}', 'bench', null, null, null, null, serviceId, id, null, 'incident', at, at, at, null, open ? null : resolved, 1, 0, null, null,
        ]);
      }
      for (let e = 0; e < sizes.eventsPerIncident; e++) {
        const at = declared + e * 60_000;
        let kind = e === 0 ? 'declared' : EVENT_KINDS[e % EVENT_KINDS.length];
        let data = '{}';
        let when = at;
        if (e === 1 && acked) {
          kind = 'status_changed';
          data = '{"from":"triggered","to":"acknowledged","event":"acknowledge"}';
          when = acked;
        } else if ((e === 10 || e === 15) && (severity === 'SEV1' || severity === 'SEV2')) {
          kind = CADENCE_KINDS[Math.floor(rand() * CADENCE_KINDS.length)];
        }
        events.push([idOf('evt', when, eventSeq++), id, when, kind, 'user', userId, 'Bench User', `Event ${e} of incident ${n + 1}`, data]);
      }
    }
    yield { table: 'incidents', rows: incidents };
    yield { table: 'alerts', rows: alerts };
    yield { table: 'timeline_events', rows: events };
  }

  // One incident with a long timeline (the "open an incident page" measurement).
  const bigAt = end - DAY;
  const bigId = idOf('inc', bigAt, sizes.incidents + 1);
  yield { table: 'incidents', rows: [[bigId, sizes.incidents + 1, 'Incident with a long timeline', '', 'SEV1', 'investigating', services[0][0], 0, null, bigAt, bigAt, bigAt + 60_000, null, null, bigAt, 1, null, null, null]] };
  for (let from = 0; from < sizes.bigTimeline; from += BATCH) {
    const events = [];
    for (let e = from; e < Math.min(sizes.bigTimeline, from + BATCH); e++) {
      const at = bigAt + e * 1000;
      events.push([idOf('evt', at, eventSeq++), bigId, at, 'note', 'user', userId, 'Bench User', `Note ${e}: investigating, nothing new yet.`, '{}']);
    }
    yield { table: 'timeline_events', rows: events };
  }
  return bigId;
}

export const COLUMNS = {
  teams: ['id', 'slug', 'name', 'managed_by', 'created_at', 'updated_at'],
  services: ['id', 'slug', 'name', 'description', 'team_id', 'managed_by', 'created_at', 'updated_at', 'escalation_policy_id'],
  integrations: ['id', 'name', 'format', 'key_hash', 'key_hint', 'service_id', 'settings', 'disabled', 'managed_by', 'last_heartbeat_at', 'created_at', 'updated_at'],
  incidents: ['id', 'number', 'title', 'summary', 'severity', 'status', 'service_id', 'is_drill', 'created_by', 'detected_at', 'declared_at', 'acknowledged_at', 'mitigated_at', 'resolved_at', 'updated_at', 'version', 'escalation_policy_id', 'escalation_policy_reason', 'assignee_id'],
  alerts: ['id', 'integration_id', 'dedup_key', 'status', 'summary', 'description', 'severity_raw', 'severity', 'labels', 'annotations', 'source', 'generator_url', 'runbook_url', 'group_key', 'group_id', 'service_id', 'incident_id', 'suppressed_by', 'decision', 'started_at', 'first_seen_at', 'last_seen_at', 'acknowledged_at', 'resolved_at', 'count', 'flapping', 'raw_payload_id', 'ends_at'],
  timeline_events: ['id', 'incident_id', 'at', 'kind', 'actor_type', 'actor_id', 'actor_name', 'body', 'data'],
};

const PG_TYPES = { at: 'bigint', number: 'bigint', is_drill: 'integer', version: 'integer', disabled: 'integer', count: 'integer', flapping: 'integer' };
const pgType = (col) => PG_TYPES[col] ?? (col.endsWith('_at') ? 'bigint' : 'text');

/** A writer for one dialect: `write({ table, rows })`, then `done()`. */
export function sqliteWriter(sqlite) {
  sqlite.pragma('synchronous = OFF');
  const statements = new Map();
  const stmt = (table) => {
    if (!statements.has(table)) {
      const cols = COLUMNS[table];
      statements.set(table, sqlite.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`));
    }
    return statements.get(table);
  };
  const insertMany = sqlite.transaction((table, rows) => { const s = stmt(table); for (const r of rows) s.run(r); });
  return { write: async ({ table, rows }) => insertMany(table, rows), done: async () => { sqlite.pragma('synchronous = NORMAL'); sqlite.exec('analyze'); } };
}

export function postgresWriter(client) {
  return {
    write: async ({ table, rows }) => {
      const cols = COLUMNS[table];
      const arrays = cols.map((_, i) => rows.map((r) => r[i]));
      const sql = `insert into ${table} (${cols.join(', ')}) select * from unnest(${cols.map((c, i) => `$${i + 1}::${pgType(c)}[]`).join(', ')})`;
      await client.query(sql, arrays);
    },
    done: async () => { await client.query('analyze'); },
  };
}
