import type { Actor, ApiKeyScope, UserRole } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';

/**
 * What an action needs. `read` sees incidents and config; `respond` works incidents (ack,
 * notes, tasks, roles); `admin` changes configuration, users and keys.
 */
export type Permission = 'read' | 'respond' | 'admin' | 'ingest';

const ROLE_GRANTS: Record<UserRole, Permission[]> = {
  admin: ['read', 'respond', 'admin'],
  responder: ['read', 'respond'],
  viewer: ['read'],
};

const SCOPE_GRANTS: Record<ApiKeyScope, Permission[]> = {
  read: ['read'],
  write: ['read', 'respond'],
  admin: ['read', 'respond', 'admin'],
  ingest: ['ingest'],
};

/** An API key can never do more than the user who owns it. */
export function can(actor: Actor, permission: Permission): boolean {
  switch (actor.type) {
    case 'system':
      return true;
    case 'integration':
      return permission === 'ingest';
    case 'user':
      return ROLE_GRANTS[actor.role].includes(permission);
    case 'apiKey':
      return ROLE_GRANTS[actor.role].includes(permission) || permission === 'ingest'
        ? actor.scopes.some((s) => SCOPE_GRANTS[s].includes(permission))
        : false;
  }
}

export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) {
    throw new AppError('FORBIDDEN', `this needs the '${permission}' permission, which ${actor.type === 'apiKey' ? 'this API key' : 'your role'} does not have`);
  }
}
