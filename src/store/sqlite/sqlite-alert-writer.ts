import type { Database as Native, Statement } from 'better-sqlite3';
import { ALERT_COLUMNS, alertRefKey, type AlertBatchWriter, type AlertGroupRow, type AlertRowChange } from '../alert-batch-writer.js';
import type { AlertTable } from '../schema.js';

const GROUP_COLUMNS = [
  'id', 'scope', 'group_key', 'service_id', 'integration_id', 'state', 'incident_id', 'window_start_at', 'window_count',
  'open_alerts', 'created_at', 'updated_at',
] as const;
const SELECT_GROUP = 'select g.*, i.status as incident_status, i.severity as incident_severity from alert_groups g left join incidents i on i.id = g.incident_id';

/**
 * SQLite: better-sqlite3 prepared statements on the same connection Kysely's transaction holds.
 * The driver is synchronous and Kysely keeps the single connection for the whole transaction,
 * so these run inside it. Skipping query compilation per row is what lets group commit reach
 * tens of thousands of alerts per second.
 */
export function createSqliteAlertWriter(native: Native): AlertBatchWriter {
  let readCounter: Statement | undefined;
  let groupById: Statement | undefined;
  let liveGroupByKey: Statement | undefined;
  let insertGroup: Statement | undefined;
  let findOpen: Statement | undefined;
  let countResolved: Statement | undefined;
  let insertRaw: Statement | undefined;
  let insertAlert: Statement | undefined;
  let updateGroup: Statement | undefined;
  const updates = new Map<string, Statement>();

  return {
    async readCounter(_tx, name) {
      readCounter ??= native.prepare('select value from counters where name = ?');
      const row = readCounter.get(name) as { value: number } | undefined;
      return row ? Number(row.value) : null;
    },
    async findGroups(_tx, ids, liveKeys) {
      groupById ??= native.prepare(`${SELECT_GROUP} where g.id = ?`);
      liveGroupByKey ??= native.prepare(`${SELECT_GROUP} where g.scope = ? and g.group_key = ? and g.state <> 'closed'`);
      const found = new Map<string, AlertGroupRow>();
      for (const id of ids) {
        const row = groupById.get(id) as AlertGroupRow | undefined;
        if (row) found.set(row.id, row);
      }
      for (const key of liveKeys) {
        const row = liveGroupByKey.get(key.scope, key.groupKey) as AlertGroupRow | undefined;
        if (row) found.set(row.id, row);
      }
      return [...found.values()];
    },
    async insertGroups(_tx, rows) {
      insertGroup ??= native.prepare(`insert into alert_groups (${GROUP_COLUMNS.join(', ')}) values (${GROUP_COLUMNS.map((c) => `@${c}`).join(', ')})`);
      for (const row of rows) insertGroup.run(row);
    },
    async findOpenAlerts(_tx, keys) {
      findOpen ??= native.prepare(`select * from alerts where integration_id = ? and dedup_key = ? and status <> 'resolved'`);
      const rows: AlertTable[] = [];
      for (const key of keys) {
        const row = findOpen.get(key.integrationId, key.dedupKey) as AlertTable | undefined;
        if (row) rows.push(row);
      }
      return rows;
    },
    async countResolvedSince(_tx, keys) {
      countResolved ??= native.prepare(`select count(*) as n from alerts where integration_id = ? and dedup_key = ? and resolved_at >= ?`);
      const out = new Map<string, number>();
      for (const key of keys) {
        const { n } = countResolved.get(key.integrationId, key.dedupKey, key.since) as { n: number };
        if (n > 0) out.set(alertRefKey(key), n);
      }
      return out;
    },
    async insertRawPayloads(_tx, rows) {
      insertRaw ??= native.prepare(`insert into raw_payloads (id, integration_id, received_at, format, body, outcome) values (?, ?, ?, ?, ?, ?)`);
      for (const r of rows) insertRaw.run(r.id, r.integration_id, r.received_at, r.format, r.body, r.outcome);
    },
    async insertAlerts(_tx, rows) {
      insertAlert ??= native.prepare(`insert into alerts (${ALERT_COLUMNS.join(', ')}) values (${ALERT_COLUMNS.map((c) => `@${c}`).join(', ')})`);
      for (const row of rows) insertAlert.run(row);
    },
    async updateGroups(_tx, changes, now) {
      updateGroup ??= native.prepare(
        'update alert_groups set state = @state, incident_id = @incident_id, window_start_at = @window_start_at, window_count = @window_count, open_alerts = @open_alerts, updated_at = @now where id = @id',
      );
      for (const c of changes) updateGroup.run({ ...c, now });
    },
    async updateAlerts(_tx, changes: readonly AlertRowChange[]) {
      for (const change of changes) {
        const columns = Object.keys(change.set).filter((c) => (change.set as Record<string, unknown>)[c] !== undefined).sort();
        const shape = columns.join(',');
        let statement = updates.get(shape);
        if (!statement) {
          const sets = [...columns.map((c) => `${c} = @${c}`), 'count = count + @count_delta'];
          statement = native.prepare(`update alerts set ${sets.join(', ')} where id = @id`);
          updates.set(shape, statement);
        }
        const params: Record<string, unknown> = { id: change.id, count_delta: change.countDelta };
        for (const c of columns) params[c] = (change.set as Record<string, unknown>)[c];
        statement.run(params);
      }
    },
  };
}
