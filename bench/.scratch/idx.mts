import Database from 'better-sqlite3';
const db = new Database(process.argv[2]!);
db.exec(`create index if not exists incidents_report on incidents (detected_at, id, service_id, severity, is_drill, declared_at, acknowledged_at, mitigated_at, resolved_at, number); drop index if exists incidents_detected; analyze;`);
