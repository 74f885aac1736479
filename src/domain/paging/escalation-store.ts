import type { StoreDialect, Tx } from '../../store/index.js';
import type { EscalationPolicyTable, IncidentEscalationTable } from '../../store/schema.js';
import {
  parseEscalationSnapshot, parseEscalationState, type EscalationPolicy, type EscalationSnapshot, type EscalationState,
} from '../escalation/index.js';
import { escalationTimerKey, deleteTimer, upsertTimer } from './timers.js';

export interface EscalationRow {
  incidentId: string;
  snapshot: EscalationSnapshot;
  state: EscalationState;
  generation: number;
}

export function policyFromRow(row: EscalationPolicyTable): EscalationPolicy {
  return {
    id: row.id,
    name: row.name,
    levels: JSON.parse(row.levels),
    repeat: row.repeat,
    repeatDelaySeconds: row.repeat_delay_seconds,
    ackTimeoutSeconds: row.ack_timeout_seconds,
    catchUp: row.catch_up as EscalationPolicy['catchUp'],
    ...(row.condition ? { condition: JSON.parse(row.condition) } : {}),
    ...(row.if_unresolved ? { ifUnresolved: JSON.parse(row.if_unresolved) } : {}),
  };
}

const snapshots = new Map<string, EscalationSnapshot>();

/**
 * A stored snapshot, validated once per distinct text. Snapshots are written once per
 * escalation and never change, and every incident started from the same policy version has
 * the same text, so a burst of steps re-validates nothing. The result is frozen (shared).
 */
export function parseStoredSnapshot(text: string): EscalationSnapshot {
  let snapshot = snapshots.get(text);
  if (!snapshot) {
    snapshot = Object.freeze(parseEscalationSnapshot(JSON.parse(text)));
    if (snapshots.size >= 1000) snapshots.clear();
    snapshots.set(text, snapshot);
  }
  return snapshot;
}

export function escalationFromRow(row: IncidentEscalationTable): EscalationRow {
  return {
    incidentId: row.incident_id,
    snapshot: parseStoredSnapshot(row.snapshot),
    state: parseEscalationState(JSON.parse(row.state)),
    generation: row.generation,
  };
}

/** Loads and row-locks an incident's escalation (PostgreSQL `FOR UPDATE`; SQLite has one writer). */
export async function lockEscalation(tx: Tx, dialect: StoreDialect, incidentId: string): Promise<EscalationRow | null> {
  const row = await dialect.forUpdate(tx.selectFrom('incident_escalations').selectAll().where('incident_id', '=', incidentId)).executeTakeFirst();
  return row ? escalationFromRow(row) : null;
}

/**
 * Writes a new state and, with it, the timer that matches: the next wake-up (step or ack
 * timeout) or none. A bumped generation fences off any worker holding the old timer.
 */
export async function saveEscalation(
  tx: Tx,
  input: { incidentId: string; state: EscalationState; generation: number; nextAt: number | null; now: number },
): Promise<void> {
  await tx
    .updateTable('incident_escalations')
    .set({ state: JSON.stringify(input.state), status: storedStatus(input.state, input.nextAt), generation: input.generation, updated_at: input.now })
    .where('incident_id', '=', input.incidentId)
    .execute();
  const key = escalationTimerKey(input.incidentId);
  if (input.nextAt === null) await deleteTimer(tx, key);
  else await upsertTimer(tx, { key, kind: 'escalate', payload: { incidentId: input.incidentId }, runAt: input.nextAt, generation: input.generation, now: input.now });
}

/** 'exhausted': still triggered, but every round has run; the auditor must not expect a timer. */
export function storedStatus(state: EscalationState, nextAt: number | null): string {
  return state.status === 'triggered' && nextAt === null ? 'exhausted' : state.status;
}

/** The next time the planner wants to run for a state, without planning. */
export function nextWakeOf(state: EscalationState): number | null {
  if (state.status === 'resolved') return null;
  if (state.status === 'acknowledged') return state.ackTimeoutAt ?? null;
  return state.dueAt;
}
