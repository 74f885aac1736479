import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { loadRunViews, type RunView } from './run-view.js';

/** The runbooks an incident follows, each as a filled-in checklist with progress and targets. */
export async function listRunbookRuns({ ctx, input }: { ctx: Ctx; input: { incident: unknown } }): Promise<{ items: RunView[] }> {
  authorize(ctx.actor, 'read');
  const ref = parseInput(IncidentRef, input.incident, 'incident');
  const incident = await findIncidentRow(ctx.store.db, ref);
  return { items: await loadRunViews(ctx.store.db, incident, ctx.clock.now()) };
}
