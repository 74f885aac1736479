import type { BaseContext } from '../core/context.js';
import type { Store } from '../store/index.js';
import type { IncidentHook } from './incidents/hooks.js';

/**
 * Domain verbs take `{ ctx, input }`. Kysely is the port: queries written with it run unchanged
 * on SQLite and PostgreSQL, and what differs is reached through `ctx.store.dialect`.
 */
export type Ctx = BaseContext<Store> & {
  /** Reactions of other modules (paging, runbooks) to incident changes; see incidents/hooks.ts. */
  incidentHooks?: readonly IncidentHook[];
  /**
   * Set while a drill declares its incident (runbooks/start-drill.ts), so hooks in the same
   * transaction know the runbook rehearsed and whom to page (user ids).
   */
  drill?: { runbookId: string; participants: readonly string[] };
};
