import { remindActionsOverdue } from '../domain/actions/remind-overdue.js';
import { sendActionDigests } from '../domain/actions/send-digests.js';
import { remindTasksDue } from '../domain/tasks/remind-tasks-due.js';
import type { Ctx } from '../domain/context.js';
import { advanceEscalations, type ClaimOnInsert } from '../domain/paging/advance-escalation.js';
import type { TimerKind } from '../domain/paging/timers.js';
import { pageUnresolvedDue } from '../domain/paging/unresolved-escalation.js';
import { runMaintenanceTimers } from '../domain/maintenance/maintenance-timers.js';
import { remindPostmortemsDue } from '../domain/postmortems/due-reminder.js';
import { remindCommTasksDue } from '../domain/audiences/comm-tasks.js';
import { expandNotifications } from '../domain/subscribers/expand-notifications.js';
import { remindUpdatesDue } from '../domain/updates/index.js';
import type { Tx } from '../store/index.js';
import type { DeliveryTable, TimerTable } from '../store/schema.js';

/**
 * What each kind of timer does when it fires, for a group of timers of that kind inside one
 * transaction of the claim. `held` re-checks which of them this instance still holds (fencing);
 * call it after taking the handler's own row locks. Stale timers (replaced, or the claim was
 * lost) write nothing. `claim` lets the handler insert deliveries due now already claimed, to be
 * sent by the worker right after the commit (`claimed`).
 */
export type TimerHandler = (
  ctx: Ctx,
  tx: Tx,
  timers: readonly TimerTable[],
  run: { held: () => Promise<ReadonlySet<string>>; claim: ClaimOnInsert; fanoutBatch: number },
) => Promise<{ stale: TimerTable[]; claimed: DeliveryTable[] }>;

const incidentOf = (timer: TimerTable): string => (JSON.parse(timer.payload) as { incidentId: string }).incidentId;

export const TIMER_HANDLERS: Record<TimerKind, TimerHandler> = {
  escalate: async (ctx, tx, timers, run) => {
    const byIncident = new Map<string, TimerTable>();
    const stale: TimerTable[] = [];
    // One escalation timer per incident (unique key); anything else is not ours to run twice.
    for (const t of timers) {
      const incidentId = incidentOf(t);
      if (byIncident.has(incidentId)) stale.push(t);
      else byIncident.set(incidentId, t);
    }
    const { results, claimed } = await advanceEscalations(
      ctx,
      tx,
      [...byIncident].map(([incidentId, t]) => ({ incidentId, generation: t.generation })),
      {
        claim: run.claim,
        fence: async () => {
          const held = await run.held();
          return new Set([...byIncident].filter(([, t]) => held.has(t.id)).map(([incidentId]) => incidentId));
        },
      },
    );
    for (const [incidentId, t] of byIncident) if (results.get(incidentId)?.outcome !== 'advanced') stale.push(t);
    return { stale, claimed };
  },
  // The cadence contract (domain/updates): reminders are ordinary deliveries in the lower lane.
  update_due: async (ctx, tx, timers, run) => ({ ...(await remindUpdatesDue(ctx, tx, timers, run.held)), claimed: [] }),
  // "Escalate if not resolved in N minutes": one-shot pages, acknowledged or not.
  escalate_unresolved: async (ctx, tx, timers, run) => ({ ...(await pageUnresolvedDue(ctx, tx, timers, run.held)), claimed: [] }),
  // Scheduled maintenance (domain/maintenance): reminder, start and end of each window.
  maintenance: async (ctx, tx, timers, run) => ({ ...(await runMaintenanceTimers(ctx, tx, timers, run.held)), claimed: [] }),
  // Follow-ups (domain/actions): overdue action items, post-incident tasks due, weekly digests.
  action_due: async (ctx, tx, timers, run) => ({ ...(await remindActionsOverdue(ctx, tx, timers, run.held)), claimed: [] }),
  action_digest: async (ctx, tx, timers, run) => ({ ...(await sendActionDigests(ctx, tx, timers, run.held)), claimed: [] }),
  task_due: async (ctx, tx, timers, run) => ({ ...(await remindTasksDue(ctx, tx, timers, run.held)), claimed: [] }),
  // A post-mortem's due date (domain/postmortems): the owner is reminded in the lower lane.
  postmortem_due: async (ctx, tx, timers, run) => ({ ...(await remindPostmortemsDue(ctx, tx, timers, run.held)), claimed: [] }),
  // Per-severity communication deadlines (domain/audiences): the same reminders, per task.
  comm_task: async (ctx, tx, timers, run) => ({ ...(await remindCommTasksDue(ctx, tx, timers, run.held)), claimed: [] }),
  // Status page subscribers: one batch of deliveries (lane 3) per run, re-armed until done.
  subscribers: async (ctx, tx, timers, run) => ({ ...(await expandNotifications(ctx, tx, timers, run.held, run.fanoutBatch)), claimed: [] }),
};
