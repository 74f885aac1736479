import { z } from 'zod';
import { AppError, conflict, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import type { Tx } from '../../store/index.js';
import type { IncidentTable, RunbookTable } from '../../store/schema.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findIncidentRow } from '../incidents/incident-view.js';
import { IncidentRef } from '../incidents/schemas.js';
import { appendTimeline } from '../incidents/timeline.js';
import { matchRunbook } from './match-runbooks.js';
import { findRunbookRow, loadMatchers } from './runbook-records.js';
import { alertContext, loadRunViews, type RunView } from './run-view.js';

/**
 * Starts following a runbook in an incident: the run pins the runbook's current version, so a
 * later edit never changes what this incident shows. One run per runbook and incident.
 * Returns the run id, or null when the runbook was already attached.
 */
export async function attachRunbookInTx(
  ctx: Ctx,
  tx: Tx,
  incident: IncidentTable,
  runbook: RunbookTable,
  reason: string,
  options: { participants?: readonly string[] } = {},
): Promise<string | null> {
  const existing = await tx.selectFrom('runbook_runs').select('id').where('incident_id', '=', incident.id).where('runbook_id', '=', runbook.id).executeTakeFirst();
  if (existing) return null;
  const now = ctx.clock.now();
  const id = newId('run', now);
  await tx
    .insertInto('runbook_runs')
    .values({
      id,
      incident_id: incident.id,
      runbook_id: runbook.id,
      runbook_version_id: runbook.current_version_id,
      attached_by: ctx.actor.name,
      reason,
      fill_values: '{}',
      secret_values: '[]',
      is_drill: incident.is_drill,
      drill_participants: JSON.stringify(options.participants ?? []),
      targets_result: null,
      started_at: now,
      updated_at: now,
    })
    .execute();
  const drill = incident.is_drill === 1 ? ' (DRILL)' : '';
  await appendTimeline(ctx, tx, incident.id, 'runbook_attached', `Runbook attached${drill}: **${runbook.title}** v${runbook.current_version} (${reason})`, {
    runId: id,
    runbook: runbook.slug,
    version: runbook.current_version,
    reason,
    isDrill: incident.is_drill === 1,
  });
  return id;
}

/**
 * Attaches every runbook whose matchers fit the incident's alerts, service and severity. Called
 * by the incident hook when an incident opens; the alerts module may call it again after it
 * links more alerts to an incident (attaching twice is a no-op).
 */
export async function attachMatchingRunbooks(ctx: Ctx, tx: Tx, incident: IncidentTable): Promise<string[]> {
  const runbooks = await tx.selectFrom('runbooks').selectAll().execute();
  if (runbooks.length === 0) return [];
  const matchers = await loadMatchers(tx);
  const alerts = await alertContext(tx, incident.id);
  const service = incident.service_id ? await tx.selectFrom('services').select('slug').where('id', '=', incident.service_id).executeTakeFirst() : undefined;
  const subject = { alerts, service: service?.slug ?? null, severity: incident.severity };
  const attached: string[] = [];
  for (const runbook of runbooks.sort((a, b) => a.slug.localeCompare(b.slug))) {
    const reason = matchRunbook({ id: runbook.id, slug: runbook.slug, matchers: matchers.get(runbook.id) ?? [] }, subject);
    if (!reason) continue;
    const id = await attachRunbookInTx(ctx, tx, incident, runbook, reason);
    if (id) attached.push(id);
  }
  return attached;
}

export const AttachRunbookInput = z
  .object({
    incident: IncidentRef,
    runbook: z.string().trim().min(1).max(120).optional(),
    q: z.string().trim().min(1).max(200).optional(),
  })
  .refine((v) => (v.runbook === undefined) !== (v.q === undefined), { message: 'give exactly one of runbook (slug or id) or q (search)', path: ['runbook'] });

/** A responder attaches another runbook, by slug/id or by a search that finds exactly one. */
export async function attachRunbook({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RunView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(AttachRunbookInput, input);
  return ctx.store.transaction(async (tx) => {
    const incident = await findIncidentRow(tx, data.incident);
    let runbook: RunbookTable;
    if (data.runbook) {
      runbook = await findRunbookRow(tx, data.runbook).catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'NOT_FOUND') throw validation('runbook', e.message);
        throw e;
      });
    } else {
      const pattern = `%${data.q!.toLowerCase().replace(/[%_]/g, '')}%`;
      const found = await tx
        .selectFrom('runbooks')
        .selectAll()
        .where((eb) => eb.or([eb(eb.fn('lower', ['slug']), 'like', pattern), eb(eb.fn('lower', ['title']), 'like', pattern)]))
        .orderBy('slug')
        .limit(11)
        .execute();
      if (found.length === 0) throw validation('q', `no runbook matches '${data.q}'`);
      const exact = found.find((r) => r.slug === data.q || r.title.toLowerCase() === data.q!.toLowerCase());
      if (!exact && found.length > 1) throw validation('q', `'${data.q}' matches several runbooks: ${found.slice(0, 10).map((r) => r.slug).join(', ')}`);
      runbook = exact ?? found[0]!;
    }
    const id = await attachRunbookInTx(ctx, tx, incident, runbook, 'manual');
    if (!id) throw conflict(`runbook ${runbook.slug} is already attached to incident #${incident.number}`);
    const fresh = await findIncidentRow(tx, incident.id);
    return (await loadRunViews(tx, fresh, ctx.clock.now(), id))[0]!;
  }).catch((error: unknown) => {
    if (ctx.store.dialect.isUniqueViolation(error)) throw conflict('the runbook was attached by someone else at the same moment');
    throw error;
  });
}
