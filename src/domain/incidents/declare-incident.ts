import { AppError, isAppError, validation } from '../../core/errors.js';
import { actorId } from '../../core/actor.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findService, findSeverity } from '../lookups.js';
import { applyChecklistTemplates } from '../tasks/apply-checklists.js';
import { findIncidentRow, toIncidentView, type IncidentView } from './incident-view.js';
import { DeclareIncidentInput } from './schemas.js';
import { runIncidentHooks } from './hooks.js';
import { appendTimeline } from './timeline.js';

/** Opens an incident by hand. It starts `triggered`: nobody owns it until someone acknowledges. */
export async function declareIncident({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(DeclareIncidentInput, input);
  return ctx.store.transaction(async (tx) => {
    const severity = await findSeverity(tx, data.severity).catch(asFieldError('severity'));
    const service = data.service ? await findService(tx, data.service).catch(asFieldError('service')) : null;
    const now = ctx.clock.now();
    if (data.detectedAt !== undefined && data.detectedAt > now) throw validation('detectedAt', 'is in the future');
    // One counter row for incident numbers: its row lock serialises instances on PostgreSQL.
    const counter = await tx
      .updateTable('counters')
      .set((eb) => ({ value: eb('value', '+', 1) }))
      .where('name', '=', 'incident_number')
      .returning('value')
      .executeTakeFirstOrThrow();
    const id = newId('inc', now);
    await tx
      .insertInto('incidents')
      .values({
        id,
        number: counter.value,
        title: data.title,
        summary: data.summary,
        severity: severity.key,
        status: 'triggered',
        service_id: service?.id ?? null,
        is_drill: data.isDrill ? 1 : 0,
        created_by: actorId(ctx.actor),
        detected_at: data.detectedAt ?? now,
        declared_at: now,
        acknowledged_at: null,
        mitigated_at: null,
        resolved_at: null,
        updated_at: now,
        version: 1,
      })
      .execute();
    await appendTimeline(ctx, tx, id, 'declared', `Declared **${severity.key}** incident: ${data.title}`, {
      severity: severity.key,
      service: service?.slug ?? null,
      isDrill: data.isDrill,
    });
    await applyChecklistTemplates(ctx, tx, id, severity.key);
    const created = await findIncidentRow(tx, id);
    await runIncidentHooks(ctx, tx, { type: 'opened', incident: created });
    return toIncidentView(tx, created);
  });
}

/** A reference in the input that names nothing is the caller's mistake: say which field. */
export function asFieldError(field: string) {
  return (error: unknown): never => {
    if (isAppError(error) && error.code === 'NOT_FOUND') throw validation(field, error.message);
    throw error instanceof Error ? error : new AppError('INTERNAL', String(error));
  };
}
