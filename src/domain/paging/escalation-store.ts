import type { StoreDialect, Tx } from '../../store/index.js';
import type { EscalationPolicyTable } from '../../store/schema.js';
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
  };
}

/** Loads and row-locks an incident's escalation (PostgreSQL `FOR UPDATE`; SQLite has one writer). */
export async function lockEscalation(tx: Tx, dialect: StoreDialect, incidentId: string): Promise<EscalationRow | null> {
  const row = await dialect.forUpdate(tx.selectFrom('incident_escalations').selectAll().where('incident_id', '=', incidentId)).executeTakeFirst();
  if (!row) return null;
  return {
    incidentId,
    snapshot: parseEscalationSnapshot(JSON.parse(row.snapshot)),
    state: parseEscalationState(JSON.parse(row.state)),
    generation: row.generation,
  };
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
    // 'exhausted': still triggered, but every round has run; the auditor must not expect a timer.
    .set({ state: JSON.stringify(input.state), status: input.state.status === 'triggered' && input.nextAt === null ? 'exhausted' : input.state.status, generation: input.generation, updated_at: input.now })
    .where('incident_id', '=', input.incidentId)
    .execute();
  const key = escalationTimerKey(input.incidentId);
  if (input.nextAt === null) await deleteTimer(tx, key);
  else await upsertTimer(tx, { key, kind: 'escalate', payload: { incidentId: input.incidentId }, runAt: input.nextAt, generation: input.generation, now: input.now });
}

/** The next time the planner wants to run for a state, without planning. */
export function nextWakeOf(state: EscalationState): number | null {
  if (state.status === 'resolved') return null;
  if (state.status === 'acknowledged') return state.ackTimeoutAt ?? null;
  return state.dueAt;
}
