import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import type { IncidentChange } from '../incidents/hooks.js';
import { appendTimeline } from '../incidents/timeline.js';
import { recordAudit } from '../audit/record-audit.js';
import { attachMatchingRunbooks, attachRunbookInTx } from './attach-runbook.js';
import { evaluateTargets } from './evaluate-targets.js';
import { formatSeconds } from './targets.js';
import { momentsOf } from './run-view.js';
import { parseStructure } from './runbook-records.js';

/**
 * The runbooks module's reaction to incident changes, in the change's own transaction: a new
 * incident gets its runbooks (a drill's rehearsed runbook first), and a resolved incident gets
 * its runbook targets recorded as met or missed.
 */
export async function runbookIncidentHook(ctx: Ctx, tx: Tx, change: IncidentChange): Promise<void> {
  if (change.type === 'opened') {
    if (ctx.drill) {
      const runbook = await tx.selectFrom('runbooks').selectAll().where('id', '=', ctx.drill.runbookId).executeTakeFirst();
      if (runbook) {
        const runId = await attachRunbookInTx(ctx, tx, change.incident, runbook, 'drill', { participants: ctx.drill.participants });
        const people = ctx.drill.participants.length
          ? await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', [...ctx.drill.participants]).execute()
          : [];
        await appendTimeline(ctx, tx, change.incident.id, 'drill_started', `**DRILL** started for runbook **${runbook.title}** with ${people.map((p) => p.name).join(', ') || 'no one'}`, {
          runId,
          runbook: runbook.slug,
          participants: ctx.drill.participants,
          isDrill: true,
        });
        await recordAudit(ctx, tx, { action: 'drill.started', target: change.incident.id, data: { runbook: runbook.slug, participants: ctx.drill.participants } });
      }
    }
    await attachMatchingRunbooks(ctx, tx, change.incident);
    return;
  }
  if (change.type === 'status_changed' && change.to === 'resolved') await recordTargets(ctx, tx, change.incident);
}

async function recordTargets(ctx: Ctx, tx: Tx, incident: IncidentChange['incident']): Promise<void> {
  const runs = await tx
    .selectFrom('runbook_runs')
    .innerJoin('runbook_versions', 'runbook_versions.id', 'runbook_runs.runbook_version_id')
    .innerJoin('runbooks', 'runbooks.id', 'runbook_runs.runbook_id')
    .select(['runbook_runs.id', 'runbook_versions.structure', 'runbooks.slug', 'runbooks.title'])
    .where('runbook_runs.incident_id', '=', incident.id)
    .execute();
  const now = ctx.clock.now();
  for (const run of runs) {
    const results = evaluateTargets(parseStructure(run).targets, momentsOf(incident), now);
    if (results.length === 0) continue;
    await tx.updateTable('runbook_runs').set({ targets_result: JSON.stringify(results), updated_at: now }).where('id', '=', run.id).execute();
    const lines = results.map((r) => `- ${r.kind}: **${r.state}** (${formatSeconds(r.elapsedSeconds)} against ${formatSeconds(r.targetSeconds)})`);
    await appendTimeline(ctx, tx, incident.id, 'runbook_targets', `Runbook targets for **${run.title}**${incident.is_drill ? ' (DRILL)' : ''}:\n${lines.join('\n')}`, {
      runId: run.id,
      runbook: run.slug,
      results,
      isDrill: incident.is_drill === 1,
    });
  }
}
