import type { Transaction } from 'kysely';
import type { AlertGroupTable, AlertTable, Database, RawPayloadTable } from './schema.js';

/**
 * The hot statements of alert ingestion, behind one small interface so each dialect can do them
 * its fastest way: prepared statements on SQLite (`sqlite/sqlite-alert-writer.ts`), multi-row
 * and array-parameter statements on PostgreSQL (`postgres/postgres-alert-writer.ts`). Everything
 * else in ingestion is portable Kysely. Every method runs inside the caller's transaction.
 */
export interface AlertKeyRef {
  integrationId: string;
  dedupKey: string;
}

export interface AlertRowChange {
  id: string;
  set: Partial<Omit<AlertTable, 'id' | 'count'>>;
  countDelta: number;
}

/** The mutable counters of an alert group, written once per batch per touched group. */
export interface AlertGroupChange {
  id: string;
  state: string;
  incident_id: string | null;
  window_start_at: number | null;
  window_count: number;
  open_alerts: number;
}

/** A group with the status of its incident (null when it has none). */
export type AlertGroupRow = AlertGroupTable & { incident_status: string | null; incident_severity: string | null };

export interface AlertGroupKeyRef {
  scope: string;
  groupKey: string;
}

export interface AlertBatchWriter {
  /** The value of a `counters` row, or null when it does not exist. */
  readCounter(tx: Transaction<Database>, name: string): Promise<number | null>;
  /** Groups with one of `ids`, and the live (not closed) groups with one of `liveKeys`. */
  findGroups(tx: Transaction<Database>, ids: readonly string[], liveKeys: readonly AlertGroupKeyRef[]): Promise<AlertGroupRow[]>;
  insertGroups(tx: Transaction<Database>, rows: readonly AlertGroupTable[]): Promise<void>;
  /** The open (not resolved) alerts among `keys`. */
  findOpenAlerts(tx: Transaction<Database>, keys: readonly AlertKeyRef[]): Promise<AlertTable[]>;
  /** For each key, how many alerts with it resolved at or after `since`. Keys with none are absent. */
  countResolvedSince(tx: Transaction<Database>, keys: readonly (AlertKeyRef & { since: number })[]): Promise<Map<string, number>>;
  insertRawPayloads(tx: Transaction<Database>, rows: readonly RawPayloadTable[]): Promise<void>;
  insertAlerts(tx: Transaction<Database>, rows: readonly AlertTable[]): Promise<void>;
  updateAlerts(tx: Transaction<Database>, changes: readonly AlertRowChange[]): Promise<void>;
  /** Applies group changes in order (closing ones first: one live group per key). */
  updateGroups(tx: Transaction<Database>, changes: readonly AlertGroupChange[], now: number): Promise<void>;
}

/** Map key for {@link AlertBatchWriter.countResolvedSince} results. */
export const alertRefKey = (ref: AlertKeyRef): string => `${ref.integrationId}\u0000${ref.dedupKey}`;

export const ALERT_COLUMNS = [
  'id', 'integration_id', 'dedup_key', 'status', 'summary', 'description', 'severity_raw', 'severity', 'labels',
  'annotations', 'source', 'generator_url', 'runbook_url', 'group_key', 'group_id', 'service_id', 'incident_id',
  'suppressed_by', 'decision', 'started_at', 'first_seen_at', 'last_seen_at', 'acknowledged_at', 'resolved_at',
  'count', 'flapping', 'raw_payload_id', 'ends_at', 'context',
] as const satisfies readonly (keyof AlertTable)[];
