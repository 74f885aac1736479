import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { IncidentRoleDefinitionTable } from '../../store/schema.js';
import { iso } from '../incidents/incident-view.js';
import { DisplayName, Slug } from '../names.js';

/**
 * The catalogue of incident roles: what the incident page offers and what a runbook or
 * firebreak.yaml declares. An assignment names a role by its key as free text (incident_roles),
 * so the catalogue guides without forbidding: a custom role still works on one incident.
 */
export interface IncidentRoleView {
  key: string;
  name: string;
  description: string | null;
  position: number;
  managedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The roles migration 0034 seeds and Firebreak's own reminders read (the commander, communications). */
export const BUILT_IN_ROLE_KEYS: readonly string[] = ['commander', 'communications', 'scribe'];

export const IncidentRoleFields = {
  key: Slug,
  name: DisplayName,
  description: z.string().trim().max(2000).nullable().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
};

export function toIncidentRoleView(r: IncidentRoleDefinitionTable): IncidentRoleView {
  return {
    key: r.key,
    name: r.name,
    description: r.description,
    position: Number(r.position),
    managedBy: r.managed_by,
    createdAt: iso(Number(r.created_at)),
    updatedAt: iso(Number(r.updated_at)),
  };
}

export async function findIncidentRole(db: Db | Tx, key: string): Promise<IncidentRoleDefinitionTable> {
  const row = await db.selectFrom('incident_role_definitions').selectAll().where('key', '=', key.trim().toLowerCase()).executeTakeFirst();
  if (!row) throw notFound('incident role', key);
  return row;
}

/** The position after the last role: a new role goes to the end of the list. */
export async function nextPosition(db: Db | Tx): Promise<number> {
  const row = await db.selectFrom('incident_role_definitions').select((eb) => eb.fn.max('position').as('max')).executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}
