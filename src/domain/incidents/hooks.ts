import type { Tx } from '../../store/index.js';
import type { IncidentTable } from '../../store/schema.js';
import type { Ctx } from '../context.js';
import type { IncidentStatus } from './status.js';

/**
 * Other modules react to incident changes inside the same transaction as the change: paging
 * creates or cancels escalation timers, runbooks attach themselves. A hook that throws rolls the
 * change back, so an incident can never open without its first escalation step.
 */
export type IncidentChange =
  | { type: 'opened'; incident: IncidentTable }
  | { type: 'status_changed'; incident: IncidentTable; from: IncidentStatus; to: IncidentStatus }
  | { type: 'severity_changed'; incident: IncidentTable; from: string; to: string };

export type IncidentHook = (ctx: Ctx, tx: Tx, change: IncidentChange) => Promise<void>;

export async function runIncidentHooks(ctx: Ctx, tx: Tx, change: IncidentChange): Promise<void> {
  for (const hook of ctx.incidentHooks ?? []) await hook(ctx, tx, change);
}
