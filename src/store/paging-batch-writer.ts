import type { Transaction } from 'kysely';
import type { Database, DeliveryTable, IncidentEscalationTable, IncidentTable, TimelineEventTable, TimerTable } from './schema.js';

/**
 * The hot statements of escalation steps and delivery results, for a whole group of timers or
 * finished sends at once, behind one small interface so each dialect does them its fastest
 * way: cached prepared statements on SQLite (`sqlite/sqlite-paging-writer.ts`), one multi-row
 * or `unnest` statement per kind on PostgreSQL (`postgres/postgres-paging-writer.ts`). The
 * same model as the alert batch writer. Every method runs inside the caller's transaction.
 */
export interface PagingBatchWriter {
  /**
   * Incidents and their escalation rows, row-locked on PostgreSQL: every incident first, then
   * every escalation, each in id order (a status change locks one incident, then its
   * escalation, so the two orders never cross).
   */
  lockEscalations(tx: Transaction<Database>, incidentIds: readonly string[]): Promise<{ incidents: IncidentTable[]; escalations: IncidentEscalationTable[] }>;
  /** Of `claims`, the timer ids still held by `owner` with the claimed `attempts` (fencing), row-locked. */
  heldTimers(tx: Transaction<Database>, owner: string, claims: readonly Pick<TimerTable, 'id' | 'attempts'>[]): Promise<Set<string>>;
  saveEscalations(tx: Transaction<Database>, rows: readonly EscalationSave[]): Promise<void>;
  /** Insert, or replace by `key` (resetting the claim). */
  upsertTimers(tx: Transaction<Database>, rows: readonly TimerTable[]): Promise<void>;
  deleteTimers(tx: Transaction<Database>, keys: readonly string[]): Promise<void>;
  /** Insert, skipping rows whose (incident, action key, contact method) exists; returns the ids inserted. */
  insertDeliveries(tx: Transaction<Database>, rows: readonly DeliveryTable[]): Promise<Set<string>>;
  /**
   * Appends events; with `touchIncidents`, also moves each incident's `updated_at` to its latest
   * event, once per incident. Only for incidents the caller has locked: delivery results do not
   * touch them (on PostgreSQL, two flushes updating the same incidents in different orders
   * could deadlock, and an attempt's result is not a change to the incident).
   */
  insertTimeline(tx: Transaction<Database>, rows: readonly TimelineEventTable[], options: { touchIncidents: boolean }): Promise<void>;
  /**
   * Writes attempt results, each only if `owner` still holds that claim (`locked_by`, `attempts`),
   * and releases the claim. Returns the ids written; a claim lost to another instance is skipped.
   */
  finishDeliveries(tx: Transaction<Database>, owner: string, results: readonly DeliveryResult[]): Promise<Set<string>>;
}

export interface EscalationSave {
  incident_id: string;
  state: string;
  status: string;
  generation: number;
  updated_at: number;
}

/** Every column an attempt may change, written in full (the claim holder owns the row). */
export interface DeliveryResult {
  id: string;
  attempts: number;
  status: string;
  next_attempt_at: number;
  sent_at: number | null;
  latency_ms: number | null;
  last_status_code: number | null;
  last_error: string | null;
}

export const DELIVERY_COLUMNS = [
  'id', 'incident_id', 'action_key', 'user_id', 'contact_method_id', 'channel', 'purpose', 'status', 'attempts', 'due_at',
  'next_attempt_at', 'locked_by', 'locked_until', 'last_error', 'last_status_code', 'latency_ms', 'created_at', 'sent_at',
  'send_started_at',
] as const satisfies readonly (keyof DeliveryTable)[];

export const TIMER_COLUMNS = [
  'id', 'key', 'kind', 'payload', 'run_at', 'attempts', 'last_error', 'locked_by', 'locked_until', 'generation', 'created_at',
] as const satisfies readonly (keyof TimerTable)[];

export const TIMELINE_COLUMNS = ['id', 'incident_id', 'at', 'kind', 'actor_type', 'actor_id', 'actor_name', 'body', 'data'] as const satisfies readonly (keyof TimelineEventTable)[];
