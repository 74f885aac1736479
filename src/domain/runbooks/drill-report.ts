import { parseInput } from '../../core/validate.js';
import { validation } from '../../core/errors.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow, iso } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { findVersionRow, parseStructure } from './runbook-records.js';
import { momentsOf } from './run-view.js';
import { scoreDrill, type DrillScore } from './score-drill.js';

export interface DrillReport {
  incident: { id: string; number: number; title: string; status: string; declaredAt: string; isDrill: true };
  participants: { id: string; name: string; email: string }[];
  runbooks: ({ runId: string; slug: string; title: string; version: number } & DrillScore)[];
}

/** Scores a drill incident: time to acknowledge, per step and to mitigate, against each runbook's targets. */
export async function drillReport({ ctx, input }: { ctx: Ctx; input: { incident: unknown } }): Promise<DrillReport> {
  authorize(ctx.actor, 'read');
  const ref = parseInput(IncidentRef, input.incident, 'incident');
  const db = ctx.store.db;
  const incident = await findIncidentRow(db, ref);
  if (incident.is_drill !== 1) throw validation('incident', `#${incident.number} is not a drill`);
  const runs = await db
    .selectFrom('runbook_runs')
    .innerJoin('runbooks', 'runbooks.id', 'runbook_runs.runbook_id')
    .select(['runbook_runs.id', 'runbook_runs.runbook_version_id', 'runbook_runs.drill_participants', 'runbooks.slug'])
    .where('runbook_runs.incident_id', '=', incident.id)
    .orderBy('runbook_runs.started_at')
    .execute();
  const participantIds = [...new Set(runs.flatMap((r) => JSON.parse(r.drill_participants) as string[]))];
  const users = participantIds.length ? await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', participantIds).execute() : [];
  const now = ctx.clock.now();
  const runbooks: DrillReport['runbooks'] = [];
  for (const run of runs) {
    const version = await findVersionRow(db, run.runbook_version_id);
    const draft = parseStructure(version);
    const states = await db.selectFrom('runbook_step_states').selectAll().where('run_id', '=', run.id).execute();
    const score = scoreDrill(
      draft,
      states.map((s) => ({ stepIndex: s.step_index, state: s.state, by: s.actor_name, at: s.at, startedAt: s.started_at })),
      momentsOf(incident),
      now,
    );
    runbooks.push({ runId: run.id, slug: run.slug, title: draft.title, version: version.version, ...score });
  }
  return {
    incident: { id: incident.id, number: incident.number, title: incident.title, status: incident.status, declaredAt: iso(incident.declared_at), isDrill: true },
    participants: users,
    runbooks,
  };
}
