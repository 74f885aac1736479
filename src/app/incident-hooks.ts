import { followUpIncidentHook } from '../domain/actions/index.js';
import { resolveAlertsWithIncident } from '../domain/alerts/resolve-with-incident.js';
import type { IncidentHook } from '../domain/incidents/hooks.js';
import { postmortemsIncidentHook } from '../domain/postmortems/hook.js';
import { runbookIncidentHook } from '../domain/runbooks/index.js';
import { statusPagesIncidentHook } from '../domain/statuspages/auto-publish-hook.js';
import { updatesIncidentHook } from '../domain/updates/index.js';

/**
 * Every room's reaction to incident changes, run inside each change's transaction, in this
 * order; paging's hook goes last (server.ts adds it), after the rooms that may add tasks,
 * drafts or timers for the same change. One list for the server and the tests, so a new room's
 * hook cannot be wired into one and forgotten in the other.
 */
export const DOMAIN_INCIDENT_HOOKS: readonly IncidentHook[] = [
  runbookIncidentHook, resolveAlertsWithIncident, updatesIncidentHook, statusPagesIncidentHook, followUpIncidentHook, postmortemsIncidentHook,
];
