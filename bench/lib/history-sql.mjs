// History generator for the history bench (issue 13), run inside the database: one
// INSERT … SELECT per table over a number series (PostgreSQL generate_series, SQLite a recursive
// CTE), so no row crosses into JavaScript. The secondary indexes of the big tables are dropped
// first and rebuilt after (one sort per index instead of millions of B-tree inserts); primary
// keys and unique constraints stay. The rows are what the app writes (same tables, columns, id
// shapes, statuses, event kinds and event data) but the domain is skipped (no audit, no outbox).
//
// Deterministic and identical on both dialects: every "random" draw is an integer hash of the
// row number and a draw number (the same arithmetic in both SQLs), so the SQLite and PostgreSQL
// histories of one size are the same history.
//
// What it writes per incident (1 % drills; severities 5/15/40/40 %; a few noisy services):
// - detected over three years, declared 1 s–5 min later, acknowledged (95 %) 5 s–4× the
//   severity's acknowledge target later, mitigated 1 min–6 h after that, resolved 1 min–24 h
//   after mitigation (log-uniform, so heavy-tailed); half the incidents of the last two days open;
// - `alertsPerIncident` alerts 30 s apart on the service's integration;
// - `eventsPerIncident` timeline events: declared, the acknowledgement (status_changed by the
//   on-call user), notes/role/alert/page/severity events, on SEV1/SEV2 two update-deadline
//   outcomes (kept 60 %, late 20 %, missed 20 %), the move to monitoring and the resolution;
// - pages (deliveries, purpose page): SEV1/SEV2 and half of SEV3 page the service's on-call user
//   at declaration; a third of SEV1 escalate to a second user 5 minutes later.
// Plus one incident with `bigTimeline` note events (the "open an incident page" measurement).

const DAY = 86_400_000;
const U32 = 4294967296;
export const BENCH_USERS = 24;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', 'America/Los_Angeles', 'Australia/Sydney'];
const OTHER_KINDS = ['note', 'role_assigned', 'alert_attached', 'page_sent', 'note', 'severity_changed'];
const BIG_TABLES = ['incidents', 'alerts', 'timeline_events', 'deliveries'];

export const sizesFromEnv = (env) => {
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

/** SQL for the two dialects: the same arithmetic, spelled per dialect where it differs. */
const DIALECTS = {
  sqlite: { pad: (e, w) => `printf('%0${w}d', ${e})`, float: (e) => `(${e} * 1.0)`, int: (e) => `cast(${e} as integer)` },
  postgres: { pad: (e, w) => `lpad((${e})::text, ${w}, '0')`, float: (e) => `(${e})::float8`, int: (e) => `(${e})::bigint` },
};

/** A uniform draw in [0, 1) from row number `n` (an integer SQL expression) and draw number `k`. */
function rnd(d, n, k) {
  const xor = (a, b) => `((${a}) | (${b})) - ((${a}) & (${b}))`;
  const x1 = `((${n}) * 1000003 + ${k * 7919 + 12345}) % ${U32}`;
  const x2 = `((${x1}) * 1597334677) % ${U32}`;
  const x3 = `(${xor(x2, `(${x2}) >> 15`)})`;
  const x4 = `((${x3}) * 1597334677) % ${U32}`;
  const x5 = xor(x4, `(${x4}) >> 13`);
  return `(${d.float(`(${x5}) % ${U32}`)} / ${U32}.0)`;
}

/** Whole seconds, log-uniform between lo and hi (heavy-tailed). */
const logUniform = (d, r, lo, hi) => `round(exp(ln(${d.float(lo)}) + ${r} * (ln(${d.float(hi)}) - ln(${d.float(lo)}))))`;

const evId = (d, at, seq) => `'evt_' || ${d.pad(at, 13)} || ${d.pad(seq, 13)}`;

/** The statements that fill the tables, in order; `series(n)` is the dialect's 0..n-1 row source with column `n`. */
function statements(d, series, sizes, { end, severities }) {
  const N = sizes.incidents;
  const S = sizes.services;
  const start = end - sizes.years * 365 * DAY;
  const span = end - start;
  const ack = Object.fromEntries(severities.map((s) => [s.key, s.ack_target_seconds ?? 900]));
  const r = (k) => rnd(d, 'n', k);
  const userId = (i) => `'usr_bench' || ${d.pad(i, 21)}`;
  const cmId = (i) => `'cmt_bench' || ${d.pad(i, 21)}`;
  const out = [];

  out.push(`insert into users (id, email, name, role, password_hash, time_zone, disabled, managed_by, created_at, updated_at)
    select ${userId('n')}, 'oncall' || n || '@bench.test', 'On-call ' || n, 'responder', null,
      case n % ${ZONES.length} ${ZONES.map((z, i) => `when ${i} then '${z}'`).join(' ')} end, 0, null, ${start}, ${start}
    from ${series(BENCH_USERS)}`);
  out.push(`insert into contact_methods (id, user_id, kind, label, address, verified, secret, disabled_reason, created_at, updated_at)
    select ${cmId('n')}, ${userId('n')}, 'email', 'Work', 'oncall' || n || '@bench.test', 1, null, null, ${start}, ${start} from ${series(BENCH_USERS)}`);
  const teams = Math.max(1, Math.round(S / 10));
  out.push(`insert into teams (id, slug, name, managed_by, created_at, updated_at)
    select 'team_bench' || ${d.pad('n', 21)}, 'team-' || n, 'Team ' || n, null, ${start}, ${start} from ${series(teams)}`);
  out.push(`insert into services (id, slug, name, description, team_id, managed_by, created_at, updated_at, escalation_policy_id)
    select 'svc_bench' || ${d.pad('n', 22)}, 'service-' || n, 'Service ' || n, '', 'team_bench' || ${d.pad(`n % ${teams}`, 21)}, null, ${start}, ${start}, null from ${series(S)}`);
  out.push(`insert into integrations (id, name, format, key_hash, key_hint, service_id, settings, disabled, managed_by, last_heartbeat_at, created_at, updated_at)
    select 'int_bench' || ${d.pad('n', 22)}, 'int-' || n, 'alertmanager', 'bench-hash-' || n, 'xxxx', 'svc_bench' || ${d.pad('n', 22)}, '{}', 0, null, null, ${start}, ${start} from ${series(S)}`);

  // Every per-incident draw once, in work tables the other statements read (three steps, each
  // materialised, so no database expands one moment's expression inside the next).
  out.push(`create temp table bench_draws as select n, ${Array.from({ length: 10 }, (_, k) => `${r(k)} as r${k}`).join(', ')} from ${series(N)}`);
  const ackWindow = `(case sev ${Object.entries(ack).map(([k, v]) => `when '${k}' then ${v * 4}`).join(' ')} else 3600 end)`;
  out.push(`create temp table bench_moments as
    select n, detected, detected + ${d.int(logUniform(d, 'r3', 1, 300))} * 1000 as declared, sev, svc, drill, r4, r5, r6, r7, r8
    from (select n, r3, r4, r5, r6, r7, r8,
            ${start} + ${d.int(`floor(${d.float('n')} / ${N} * ${span})`)} + ${d.int('floor(r0 * 60000)')} as detected,
            case when r1 < 0.05 then 'SEV1' when r1 < 0.2 then 'SEV2' when r1 < 0.6 then 'SEV3' else 'SEV4' end as sev,
            ${d.int(`floor(r2 * r2 * ${S})`)} as svc, case when r9 < 0.01 then 1 else 0 end as drill
          from bench_draws) x`);
  out.push(`create temp table bench_acks as
    select n, detected, declared, sev, svc, drill, r6, r7, r8,
      case when r4 < 0.95 then declared + ${d.int(logUniform(d, 'r5', 5, ackWindow))} * 1000 end as acked
    from bench_moments`);
  out.push(`create temp table bench_gen as
    select n, detected, declared, sev, svc, drill, acked, mitigated, mitigated + ${d.int(logUniform(d, 'r7', 60, 24 * 3600))} * 1000 as resolved,
      case when ${end} - detected < ${2 * DAY} and r8 < 0.5 then 1 else 0 end as open
    from (select n, detected, declared, sev, svc, drill, acked, r7, r8,
            coalesce(acked, declared) + ${d.int(logUniform(d, 'r6', 60, 6 * 3600))} * 1000 as mitigated from bench_acks) x`);
  out.push('drop table bench_draws');
  out.push('drop table bench_moments');
  out.push('drop table bench_acks');

  const incId = `'inc_' || ${d.pad('declared', 13)} || ${d.pad('n', 13)}`;
  out.push(`insert into incidents (id, number, title, summary, severity, status, service_id, is_drill, created_by, detected_at, declared_at, acknowledged_at, mitigated_at, resolved_at, updated_at, version, escalation_policy_id, escalation_policy_reason, assignee_id, closed_at)
    select ${incId}, n + 1, 'Incident ' || (n + 1) || ' on service-' || svc, '', sev,
      case when open = 0 then 'resolved' when acked is null then 'triggered' else 'investigating' end,
      'svc_bench' || ${d.pad('svc', 22)}, drill, null, detected, declared, acked,
      case when open = 1 then null else mitigated end, case when open = 1 then null else resolved end,
      case when open = 1 then declared else resolved end, 1, null, null, null, null
    from bench_gen`);

  const gid = `'inc_' || ${d.pad('g.declared', 13)} || ${d.pad('g.n', 13)}`;
  const A = sizes.alertsPerIncident;
  out.push(`insert into alerts (id, integration_id, dedup_key, status, summary, description, severity_raw, severity, labels, annotations, source, generator_url, runbook_url, group_key, group_id, service_id, incident_id, suppressed_by, decision, started_at, first_seen_at, last_seen_at, acknowledged_at, resolved_at, count, flapping, raw_payload_id, ends_at)
    select 'alr_' || ${d.pad('g.detected + a.n * 30000', 13)} || ${d.pad(`g.n * ${A} + a.n`, 13)}, 'int_bench' || ${d.pad('svc', 22)},
      'dedup-' || g.n || '-' || a.n, case when open = 1 then 'firing' else 'resolved' end, 'Alert ' || a.n || ' of incident ' || (g.n + 1), null, 'critical', sev,
      '{"alertname":"A' || a.n || '","service":"service-' || svc || '"}', '{}', 'bench', null, null, null, null,
      'svc_bench' || ${d.pad('svc', 22)}, ${gid}, null, 'incident',
      detected + a.n * 30000, detected + a.n * 30000, detected + a.n * 30000, null, case when open = 1 then null else resolved end, 1, 0, null, null
    from bench_gen g cross join ${series(A, 'a')}`);

  // Timeline: e = 0 declared, 1 acknowledgement (when acknowledged), 10 and 15 update outcomes on
  // SEV1/SEV2, E-2 monitoring and E-1 resolved (when resolved), the rest ordinary events.
  const E = sizes.eventsPerIncident;
  const rc = rnd(d, `g.n * ${E} + e.n`, 11);
  const ackEv = `e.n = 1 and g.acked is not null`;
  const monEv = `e.n = ${E - 2} and g.open = 0`;
  const resEv = `e.n = ${E - 1} and g.open = 0`;
  const cadEv = `e.n in (10, 15) and g.sev in ('SEV1', 'SEV2')`;
  const at = `case when ${ackEv} then g.acked when ${monEv} then g.mitigated when ${resEv} then g.resolved else g.declared + e.n * 60000 end`;
  const kind = `case when e.n = 0 then 'declared' when ${ackEv} or ${monEv} or ${resEv} then 'status_changed'
      when ${cadEv} then case when ${rc} < 0.6 then 'update_deadline_kept' when ${rc} < 0.8 then 'update_posted_late' else 'update_deadline_missed' end
      else case e.n % 6 ${OTHER_KINDS.map((k, i) => `when ${i} then '${k}'`).join(' ')} end end`;
  const data = `case when ${ackEv} then '{"from":"triggered","to":"acknowledged","event":"acknowledge"}'
      when ${monEv} then '{"from":"' || case when g.acked is null then 'triggered' else 'acknowledged' end || '","to":"monitoring","event":"mitigate"}'
      when ${resEv} then '{"from":"monitoring","to":"resolved","event":"resolve"}' else '{}' end`;
  out.push(`insert into timeline_events (id, incident_id, at, kind, actor_type, actor_id, actor_name, body, data)
    select ${evId(d, at, `g.n * ${E} + e.n`)}, ${gid}, ${at}, ${kind}, 'user', ${userId(`g.svc % ${BENCH_USERS}`)}, 'On-call ' || (g.svc % ${BENCH_USERS}),
      'Event ' || e.n || ' of incident ' || (g.n + 1), ${data}
    from bench_gen g cross join ${series(E, 'e')}`);

  // Pages: step 1 to the service's on-call user at declaration; a second step on a third of SEV1.
  const pageCols = 'id, incident_id, action_key, user_id, contact_method_id, channel, purpose, status, attempts, due_at, next_attempt_at, locked_by, locked_until, last_error, last_status_code, latency_ms, created_at, sent_at, send_started_at, priority, update_id, audience, subscriber_id';
  const page = (step, user, delay, where) => `insert into deliveries (${pageCols})
    select 'dlv_' || ${d.pad(`g.declared + ${delay}`, 13)} || ${d.pad(`g.n * 2 + ${step - 1}`, 13)}, ${gid}, 'step:${step}', ${userId(user)}, ${cmId(user)}, 'email', 'page', 'sent', 1,
      g.declared + ${delay}, g.declared + ${delay}, null, null, null, 250, 800, g.declared + ${delay}, g.declared + ${delay} + 800, g.declared + ${delay}, 0, null, null, null
    from bench_gen g where ${where}`;
  out.push(page(1, `g.svc % ${BENCH_USERS}`, 0, `g.sev in ('SEV1', 'SEV2') or (g.sev = 'SEV3' and ${rnd(d, 'g.n', 12)} < 0.5)`));
  out.push(page(2, `(g.svc + 1) % ${BENCH_USERS}`, 300_000, `g.sev = 'SEV1' and ${rnd(d, 'g.n', 13)} < 0.34`));

  // The incident with a long timeline, declared a day before the end, still open.
  const bigAt = end - DAY;
  const bigN = N + 1;
  const bigId = `inc_${String(bigAt).padStart(13, '0')}${String(bigN).padStart(13, '0')}`;
  out.push(`insert into incidents (id, number, title, summary, severity, status, service_id, is_drill, created_by, detected_at, declared_at, acknowledged_at, mitigated_at, resolved_at, updated_at, version, escalation_policy_id, escalation_policy_reason, assignee_id, closed_at)
    values ('${bigId}', ${bigN}, 'Incident with a long timeline', '', 'SEV1', 'investigating', 'svc_bench${'0'.repeat(22)}', 0, null, ${bigAt}, ${bigAt}, ${bigAt + 60_000}, null, null, ${bigAt}, 1, null, null, null, null)`);
  out.push(`insert into timeline_events (id, incident_id, at, kind, actor_type, actor_id, actor_name, body, data)
    select ${evId(d, `${bigAt} + n * 1000`, `${N * E} + n`)}, '${bigId}', ${bigAt} + n * 1000, 'note', 'user', ${userId(0)}, 'On-call 0', 'Note ' || n || ': investigating, nothing new yet.', '{}'
    from ${series(sizes.bigTimeline)}`);
  out.push('drop table bench_gen');
  // The next incident the app opens takes the next number (it reads this counter, not max(number)).
  out.push(`update counters set value = ${bigN} where name = 'incident_number'`);
  return { sql: out, bigId };
}

const sqliteSeries = (n, alias = 's') => n <= 100
  ? `(select column1 as n from (values ${Array.from({ length: n }, (_, i) => `(${i})`).join(', ')})) ${alias}`
  : `(with recursive c(n) as (select 0 union all select n + 1 from c where n + 1 < ${n}) select n from c) ${alias}`;
const pgSeries = (n, alias = 's') => `generate_series(0::bigint, ${n - 1}) as ${alias}(n)`;

/** The statements alone (for a test to seed a small history through its own connection), in order. */
export const historyStatements = (dialect, sizes, opts) => statements(DIALECTS[dialect], dialect === 'sqlite' ? sqliteSeries : pgSeries, sizes, opts);

const label = (sql) => sql.trim().split(/\s+/).slice(0, 3).join(' ');

/**
 * Fills a migrated SQLite file (better-sqlite3 handle). Rollback journal and no syncs while it
 * writes (a crash means generating again), WAL again at the end like the app. Returns timings.
 */
export function generateSqlite(sqlite, sizes, opts, log = () => {}) {
  const { sql, bigId } = statements(DIALECTS.sqlite, sqliteSeries, sizes, opts);
  const steps = [];
  const time = (name, fn) => { const t0 = performance.now(); fn(); const s = (performance.now() - t0) / 1000; steps.push([name, s]); log(`    ${name}: ${s.toFixed(1)} s`); };
  sqlite.pragma('journal_mode = DELETE');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -1000000');
  sqlite.pragma('temp_store = MEMORY');
  const indexes = sqlite.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${BIG_TABLES.map((t) => `'${t}'`).join(', ')})`).all();
  // One transaction from the first drop to the last index: an interrupted run leaves the
  // database as it was (no history, every index), never a history missing indexes.
  sqlite.exec('begin');
  for (const i of indexes) sqlite.exec(`drop index ${i.name}`);
  for (const s of sql) time(label(s), () => sqlite.exec(s));
  for (const i of indexes) time(`index ${i.name}`, () => sqlite.exec(i.sql));
  sqlite.exec('commit');
  time('analyze', () => sqlite.exec('analyze'));
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('journal_mode = WAL');
  return { bigId, steps };
}

/** Fills a migrated PostgreSQL database (pg client). Indexes rebuilt after, then VACUUM ANALYZE (index-only scans need the visibility map). */
export async function generatePostgres(client, sizes, opts, log = () => {}) {
  const { sql, bigId } = statements(DIALECTS.postgres, pgSeries, sizes, opts);
  const steps = [];
  const time = async (name, fn) => { const t0 = performance.now(); await fn(); const s = (performance.now() - t0) / 1000; steps.push([name, s]); log(`    ${name}: ${s.toFixed(1)} s`); };
  await client.query("set maintenance_work_mem = '1GB'");
  await client.query("set work_mem = '256MB'");
  const { rows: indexes } = await client.query(
    `select indexname as name, indexdef as sql from pg_indexes where schemaname = current_schema() and tablename = any($1)
       and indexname not in (select conname from pg_constraint)`,
    [BIG_TABLES],
  );
  await client.query('begin');
  for (const i of indexes) await client.query(`drop index ${i.name}`);
  for (const s of sql) await time(label(s), () => client.query(s));
  for (const i of indexes) await time(`index ${i.name}`, () => client.query(i.sql));
  await client.query('commit');
  await time('vacuum analyze', () => client.query('vacuum analyze'));
  return { bigId, steps };
}
