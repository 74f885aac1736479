import Database from 'better-sqlite3';
const db = new Database(process.argv[2]!, { readonly: true });
const END = Date.UTC(2026, 11, 1), DAY = 86_400_000;
const from = END - 365 * DAY;
const q = (label: string, sql: string, ...p: unknown[]) => {
  const t = performance.now();
  const rows = db.prepare(sql).all(...p);
  console.log(label, (performance.now() - t).toFixed(0), 'ms', rows.length);
  for (const r of db.prepare('explain query plan ' + sql).all(...p) as any[]) console.log('   ', r.detail);
};
q('incidents chunk', `select i.id, i.number, i.severity, i.is_drill, i.detected_at, i.declared_at, i.acknowledged_at, i.mitigated_at, i.resolved_at, s.slug, t.slug, v.ack_target_seconds from incidents i left join services s on s.id = i.service_id left join teams t on t.id = s.team_id left join severities v on v.key = i.severity where i.detected_at >= ? and i.detected_at < ? order by i.detected_at, i.id limit 5000`, from, END);
q('cadence', `select i.severity, te.kind, count(*) from timeline_events te join incidents i on i.id = te.incident_id where te.kind in ('update_deadline_kept','update_deadline_missed','update_posted_late') and te.at >= ? and te.at < ? and i.is_drill = 0 group by i.severity, te.kind`, from, END);
q('acks', `select te.actor_id, count(*), sum(coalesce(i.resolved_at, 0) - te.at) from timeline_events te join incidents i on i.id = te.incident_id where te.kind = 'status_changed' and te.at >= ? and te.at < ? and i.is_drill = 0 and te.data like '%"to":"acknowledged"%' group by te.actor_id`, from, END);
