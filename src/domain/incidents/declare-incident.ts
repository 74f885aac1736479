import { AppError, isAppError, validation } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { findService, findSeverity } from '../lookups.js';
import { toIncidentView, type IncidentView } from './incident-view.js';
import { openIncident } from './open-incident.js';
import { DeclareIncidentInput } from './schemas.js';

/** Opens an incident by hand. It starts `triggered`: nobody owns it until someone acknowledges. */
export async function declareIncident({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentView> {
  authorize(ctx.actor, 'respond');
  const data = parseInput(DeclareIncidentInput, input);
  return ctx.store.transaction(async (tx) => {
    const severity = await findSeverity(tx, data.severity).catch(asFieldError('severity'));
    const service = data.service ? await findService(tx, data.service).catch(asFieldError('service')) : null;
    const now = ctx.clock.now();
    if (data.detectedAt !== undefined && data.detectedAt > now) throw validation('detectedAt', 'is in the future');
    const created = await openIncident(ctx, tx, {
      id: newId('inc', now),
      title: data.title,
      summary: data.summary,
      severity: severity.key,
      serviceId: service?.id ?? null,
      detectedAt: data.detectedAt ?? now,
      isDrill: data.isDrill,
      declaredBody: `Declared **${severity.key}** incident: ${data.title}`,
      declaredData: { severity: severity.key, service: service?.slug ?? null, isDrill: data.isDrill },
    });
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
