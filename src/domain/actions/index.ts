import type { IncidentHook } from '../incidents/hooks.js';
import { applyResolveChecklists } from '../tasks/apply-checklists.js';

export { ensureDigestTimer, DEFAULT_DIGEST, type DigestSchedule } from './digest-schedule.js';

/**
 * Post-incident follow-ups react to a resolution in its transaction: `on_resolve` checklist
 * templates add their tasks, due in their time windows from now.
 */
export const followUpIncidentHook: IncidentHook = async (ctx, tx, change) => {
  if (change.type === 'status_changed') await applyResolveChecklists(ctx, tx, change);
};
