import { isAppError } from '../../core/errors.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { applySeverityChange } from '../incidents/change-incident-severity.js';
import { findIncidentRow } from '../incidents/incident-view.js';

/**
 * A more severe alert joined an open incident: raise the incident to the alert's level through
 * the same path as a human's change (timeline, checklists, paging hooks), inside the ingest
 * batch's transaction. Never lowers: the rank is re-checked against the row as it is now, so a
 * human who raised it further in the meantime keeps their level. Skips a resolved incident, and
 * skips (rather than failing the batch, which would make every sender in it retry) when the
 * incident changed under us on another instance.
 */
export async function raiseIncidentSeverityForAlert(ctx: Ctx, tx: Tx, incidentId: string, severity: string, reason: string): Promise<boolean> {
  const row = await findIncidentRow(tx, incidentId);
  if (row.status === 'resolved') return false;
  const levels = (await tx.selectFrom('severities').select('key').orderBy('rank').execute()).map((s) => s.key);
  const target = levels.indexOf(severity);
  const current = levels.indexOf(row.severity);
  if (target === -1 || current === -1 || target >= current) return false;
  try {
    await applySeverityChange(ctx, tx, row, severity, reason, { source: 'alerts' });
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === 'CONFLICT') {
      ctx.log.warn('ingest', 'incident changed while raising its severity; left as it is', { incident: incidentId, severity });
      return false;
    }
    throw error;
  }
}
