import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import type { ScheduledMaintenanceTable } from '../../store/schema.js';
import { bumpAlertConfigVersion } from '../alerts/alert-config.js';
import { parseMatchers, matcherFromApi, matchesEmpty, type LabelMatcher } from '../alerts/matchers.js';
import { validation } from '../../core/errors.js';

/**
 * A scheduled maintenance holds alerts through the existing alert machinery, not a parallel
 * one: at its start it creates a real silence (its matchers) and/or a real alert maintenance
 * window (its services), both ending at the scheduled end, so held alerts behave exactly as
 * under any silence (recorded, nobody paged; the decision names the silence). Ending it early
 * ends them now; the existing release (the request's own release, or the periodic sweep) then
 * pages every alert still firing.
 */

/** Matchers as the silences API takes them (text or objects); empty: none. */
export function maintenanceMatchers(input: string | unknown[] | undefined, field = 'matchers'): LabelMatcher[] {
  if (input === undefined || (typeof input === 'string' && input.trim() === '') || (Array.isArray(input) && input.length === 0)) return [];
  const matchers = typeof input === 'string' ? parseMatchers(input, field) : input.map((m, i) => matcherFromApi(m, `${field}.${i}`));
  if (matchers.every(matchesEmpty)) throw validation(field, 'at least one matcher must not match the empty string');
  return matchers;
}

/** Creates the silence and window for a maintenance starting now; returns their ids. */
export async function holdAlerts(tx: Tx, m: ScheduledMaintenanceTable, now: number): Promise<{ silenceId: string | null; windowId: string | null }> {
  const matchers = JSON.parse(m.matchers) as LabelMatcher[];
  const services = JSON.parse(m.services) as string[];
  const comment = `Scheduled maintenance ${m.id}: ${m.name}`;
  let silenceId: string | null = null;
  let windowId: string | null = null;
  if (matchers.length > 0) {
    silenceId = newId('sil', now);
    await tx.insertInto('silences').values({ id: silenceId, matchers: m.matchers, starts_at: now, ends_at: m.scheduled_until, created_by: `maintenance ${m.id}`, comment, created_at: now, updated_at: now }).execute();
  }
  // An empty service list would mean "every service" to the window: only create one for named services.
  if (services.length > 0) {
    windowId = newId('mw', now);
    await tx.insertInto('maintenance_windows').values({ id: windowId, service_ids: m.services, starts_at: now, ends_at: m.scheduled_until, reason: comment, created_by: `maintenance ${m.id}`, created_at: now }).execute();
  }
  if (silenceId || windowId) await bumpAlertConfigVersion(tx);
  return { silenceId, windowId };
}

/** Moves the end of its silence and window (an edited end while it runs, or ended now). */
export async function moveHoldEnd(tx: Tx, m: Pick<ScheduledMaintenanceTable, 'silence_id' | 'window_id'>, endsAt: number, now: number): Promise<void> {
  if (m.silence_id) await tx.updateTable('silences').set({ ends_at: endsAt, updated_at: now }).where('id', '=', m.silence_id).where('ends_at', '>', now).execute();
  if (m.window_id) await tx.updateTable('maintenance_windows').set({ ends_at: endsAt }).where('id', '=', m.window_id).where('ends_at', '>', now).execute();
  if (m.silence_id || m.window_id) await bumpAlertConfigVersion(tx);
}

/** The silence and window ids a maintenance holds alerts by (for the release after it ends). */
export const holdIds = (m: Pick<ScheduledMaintenanceTable, 'silence_id' | 'window_id'>): string[] => [m.silence_id, m.window_id].filter((id): id is string => id !== null);
