import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';

/**
 * Durable timers. Written in the transaction of the change that needs them; `key` is unique, so
 * an incident has at most one escalation timer, replaced or deleted by key (graphile-worker's
 * job_key). `generation` is the fencing token the handler re-checks under a row lock.
 */
export type TimerKind =
  | 'escalate' | 'update_due' | 'escalate_unresolved' | 'maintenance' | 'action_due' | 'action_digest' | 'task_due' | 'postmortem_due' | 'comm_task'
  | 'subscribers';

export const escalationTimerKey = (incidentId: string): string => `escalate:${incidentId}`;

export async function upsertTimer(
  tx: Tx,
  timer: { key: string; kind: TimerKind; payload: Record<string, unknown>; runAt: number; generation: number; now: number },
): Promise<void> {
  await tx
    .insertInto('timers')
    .values({
      id: newId('tmr', timer.now),
      key: timer.key,
      kind: timer.kind,
      payload: JSON.stringify(timer.payload),
      run_at: timer.runAt,
      attempts: 0,
      last_error: null,
      locked_by: null,
      locked_until: null,
      generation: timer.generation,
      created_at: timer.now,
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        kind: timer.kind,
        payload: JSON.stringify(timer.payload),
        run_at: timer.runAt,
        attempts: 0,
        last_error: null,
        locked_by: null,
        locked_until: null,
        generation: timer.generation,
      }),
    )
    .execute();
}

export async function deleteTimer(tx: Tx, key: string): Promise<void> {
  await tx.deleteFrom('timers').where('key', '=', key).execute();
}
