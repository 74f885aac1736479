import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { toJobView, type RunnerJobView } from './runner-records.js';

export async function listRunnerJobs({ ctx, input }: { ctx: Ctx; input: { incident: unknown } }): Promise<{ items: RunnerJobView[] }> {
  authorize(ctx.actor, 'read');
  const ref = parseInput(IncidentRef, input.incident, 'incident');
  const incident = await findIncidentRow(ctx.store.db, ref);
  const rows = await ctx.store.db.selectFrom('runner_jobs').selectAll().where('incident_id', '=', incident.id).orderBy('id').execute();
  return { items: rows.map(toJobView) };
}
