import { z } from 'zod';
import { AppError, isAppError, validation } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { declareIncident } from '../incidents/declare-incident.js';
import type { IncidentView } from '../incidents/incident-view.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { findSeverity, findUser } from '../lookups.js';
import { sameSeverity } from './match-runbooks.js';
import { findRunbookRow } from './runbook-records.js';
import { loadRunViews, type RunView } from './run-view.js';

export const StartDrillInput = z.object({
  runbook: z.string().trim().min(1).max(120),
  participants: z.array(z.string().trim().min(1).max(254)).min(1, 'name at least one participant').max(50),
  severity: z.string().trim().min(1).max(20).optional(),
  service: z.string().trim().min(1).max(80).optional(),
});

/**
 * Rehearses a runbook: declares an `isDrill` incident titled `[DRILL] …` through the normal
 * declare path, so checklists, hooks and paging all run for real — the paging hook reads
 * `ctx.drill.participants` to page only the chosen people. Drills are excluded from incident
 * lists and metrics unless asked for.
 */
export async function startDrill({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ incident: IncidentView; run: RunView | null }> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(StartDrillInput, input);
  const db = ctx.store.db;
  const runbook = await findRunbookRow(db, data.runbook).catch(fieldError('runbook'));
  const participants: string[] = [];
  for (const [i, ref] of data.participants.entries()) {
    const user = await findUser(db, ref).catch(fieldError(`participants.${i}`));
    if (user.disabled) throw validation(`participants.${i}`, `${ref} is disabled`);
    if (!participants.includes(user.id)) participants.push(user.id);
  }
  let severity = data.severity;
  if (severity) severity = (await findSeverity(db, severity).catch(fieldError('severity'))).key;
  if (!severity && runbook.severity) {
    // The runbook may write SEV-1 where the configuration says SEV1.
    const levels = await db.selectFrom('severities').select(['key']).execute();
    severity = levels.find((l) => sameSeverity(l.key, runbook.severity!))?.key;
  }
  if (!severity) {
    // No level named: the least urgent configured level, so a drill never looks like an outage.
    const levels = await db.selectFrom('severities').select(['key']).orderBy('rank', 'desc').limit(1).execute();
    severity = levels[0]?.key;
    if (!severity) throw validation('severity', 'no severity levels are configured');
  }
  let service = data.service;
  if (!service && runbook.service) {
    const found = await db.selectFrom('services').select('slug').where('slug', '=', runbook.service).executeTakeFirst();
    service = found?.slug;
  }
  const drillCtx: Ctx = { ...ctx, drill: { runbookId: runbook.id, participants } };
  const incident = await declareIncident({
    ctx: drillCtx,
    input: {
      title: `[DRILL] ${runbook.title}`.slice(0, 200),
      severity,
      service: service ?? null,
      summary: `**DRILL** — a rehearsal of the runbook **${runbook.title}** (v${runbook.current_version}). Nothing is broken. Follow the runbook as if it were real; times are scored against its targets.`,
      isDrill: true,
    },
  });
  const row = await findIncidentRow(db, incident.id);
  const runs = await loadRunViews(db, row, ctx.clock.now());
  return { incident, run: runs.find((r) => r.runbook.id === runbook.id) ?? null };
}

function fieldError(field: string) {
  return (error: unknown): never => {
    if (isAppError(error) && error.code === 'NOT_FOUND') throw validation(field, error.message);
    throw error instanceof Error ? error : new AppError('INTERNAL', String(error));
  };
}
