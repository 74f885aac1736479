import type { Ctx } from '../domain/context.js';
import { advanceEscalation } from '../domain/paging/advance-escalation.js';
import type { TimerKind } from '../domain/paging/timers.js';
import type { Tx } from '../store/index.js';
import type { TimerTable } from '../store/schema.js';

/**
 * What each kind of timer does when it fires, inside the claim's transaction. `fence` re-checks
 * that this instance still holds the claim; call it after taking the handler's own row locks.
 * A stale result (the timer was replaced or its owner changed) writes nothing.
 */
export type TimerHandler = (ctx: Ctx, tx: Tx, timer: TimerTable, fence: () => Promise<boolean>) => Promise<{ stale: boolean }>;

export const TIMER_HANDLERS: Record<TimerKind, TimerHandler> = {
  escalate: async (ctx, tx, timer, fence) => {
    const payload = JSON.parse(timer.payload) as { incidentId: string };
    const result = await advanceEscalation(ctx, tx, { incidentId: payload.incidentId, generation: timer.generation, fence });
    return { stale: result.outcome === 'stale' };
  },
};
