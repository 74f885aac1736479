import { conflict } from '../../core/errors.js';
import { MANAGED_BY_CONFIG } from '../names.js';

/**
 * Objects declared in `firebreak.yaml` belong to the file: an API edit would be silently undone
 * at the next start, so it is refused with a message that says where to make the change.
 */
export function assertNotManaged(row: { managed_by: string | null }, what: string): void {
  if (row.managed_by === MANAGED_BY_CONFIG) {
    throw conflict(`${what} is managed by firebreak.yaml; edit the file`);
  }
}
