import type { Actor } from './actor.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

/**
 * What every use-case verb receives besides its input: who acts, what time it is, where to log.
 * Transport-free: HTTP, CLI, ingest and the worker build it the same way. The store is typed
 * by the caller's module so `core/` stays free of I/O imports.
 */
export interface BaseContext<S> {
  actor: Actor;
  clock: Clock;
  log: Logger;
  requestId: string;
  store: S;
  /** Client address for the audit log, when the action came over the network. */
  ip?: string | null;
}
