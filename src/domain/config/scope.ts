import { conflict } from '../../core/errors.js';
import { MANAGED_BY_CONFIG } from '../names.js';

/**
 * Who owns what a section applier writes. `firebreak.yaml` owns its objects (`managed_by:
 * config`) and removes the ones it no longer declares. An applied runbook import plan writes
 * ordinary objects (editable through the API and the UI, `managed_by` null) and removes nothing;
 * it never touches an object the file owns: the file would undo it at the next start.
 */
export interface ApplyScope {
  managedBy: string | null;
  prune: boolean;
}

export const FILE_SCOPE: ApplyScope = { managedBy: MANAGED_BY_CONFIG, prune: true };
export const IMPORT_SCOPE: ApplyScope = { managedBy: null, prune: false };

/** In the import scope, an object the file owns is refused with a message that says where to change it. */
export function assertScopeMayWrite(scope: ApplyScope, row: { managed_by?: string | null | undefined }, what: string): void {
  if (scope.managedBy !== MANAGED_BY_CONFIG && row.managed_by === MANAGED_BY_CONFIG) {
    throw conflict(`${what} is managed by firebreak.yaml; add the change to the file instead (firebreak runbook import FILE --yaml prints it)`);
  }
}

/** `now managed by the file`, `changed`: the change line for an updated object. */
export function updatedWord(scope: ApplyScope, row: { managed_by?: string | null | undefined }): string {
  return scope.managedBy === MANAGED_BY_CONFIG && row.managed_by !== MANAGED_BY_CONFIG ? 'now managed by the file' : 'changed';
}
