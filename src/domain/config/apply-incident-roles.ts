import type { FirebreakConfig } from '../../config/config-file.js';
import type { Tx } from '../../store/index.js';
import type { Ctx } from '../context.js';
import { incidentsHoldingRole } from '../incident-roles/delete-incident-role.js';
import { BUILT_IN_ROLE_KEYS, nextPosition } from '../incident-roles/role-definition.js';
import { MANAGED_BY_CONFIG } from '../names.js';
import { assertScopeMayWrite, FILE_SCOPE, updatedWord, type ApplyScope } from './scope.js';

/**
 * `incidentRoles:` in firebreak.yaml (or the roles an applied runbook import plan names): the
 * file owns the roles it declares, by key; an existing role with that key (the seeded
 * commander, communications, scribe, or one made through the API) is adopted. What a role
 * leaves out keeps its value: no description keeps the one there, no position keeps the place
 * (a new role goes last). A role the file no longer declares is removed (a built-in one,
 * commander, communications or scribe, is handed back to the API instead) even while an open
 * incident holds it (the file decides; unlike an API delete, which is refused then): the
 * assignment keeps naming it, as any custom role, and the change line says so.
 */
export async function applyIncidentRoles(ctx: Ctx, tx: Tx, config: FirebreakConfig, changes: string[], scope: ApplyScope = FILE_SCOPE): Promise<void> {
  const now = ctx.clock.now();
  const existing = await tx.selectFrom('incident_role_definitions').selectAll().execute();
  const byKey = new Map(existing.map((r) => [r.key, r]));
  for (const role of config.incidentRoles) {
    const row = byKey.get(role.key);
    if (!row) {
      const position = role.position ?? (await nextPosition(tx));
      await tx.insertInto('incident_role_definitions').values({
        key: role.key, name: role.name, description: role.description ?? null, position, managed_by: scope.managedBy, created_at: now, updated_at: now,
      }).execute();
      changes.push(`incident role ${role.key}: created`);
      continue;
    }
    const next = {
      name: role.name,
      description: role.description ?? row.description,
      position: role.position ?? Number(row.position),
      // The import scope writes ordinary objects and never takes one over.
      managed_by: scope.managedBy ?? row.managed_by,
    };
    const what = [
      row.managed_by !== next.managed_by ? updatedWord(scope, row) : '',
      row.name !== next.name ? `name '${row.name}' → '${next.name}'` : '',
      row.description !== next.description ? 'description changed' : '',
      Number(row.position) !== next.position ? `position ${row.position} → ${next.position}` : '',
    ].filter(Boolean);
    if (what.length === 0) continue;
    assertScopeMayWrite(scope, row, `incident role ${role.key}`);
    await tx.updateTable('incident_role_definitions').set({ ...next, updated_at: now }).where('key', '=', row.key).execute();
    changes.push(`incident role ${role.key}: ${what.join(', ')}`);
  }
  if (!scope.prune) return;
  const declared = new Set(config.incidentRoles.map((r) => r.key));
  for (const row of existing) {
    if (row.managed_by !== MANAGED_BY_CONFIG || declared.has(row.key)) continue;
    if (BUILT_IN_ROLE_KEYS.includes(row.key)) {
      // Firebreak itself reads these (reminders go to the commander and communications): dropping
      // the section should not take them off the incident page; the API may edit them again.
      await tx.updateTable('incident_role_definitions').set({ managed_by: null, updated_at: now }).where('key', '=', row.key).execute();
      changes.push(`incident role ${row.key}: no longer managed by the file`);
      continue;
    }
    const holding = await incidentsHoldingRole(tx, row.key);
    await tx.deleteFrom('incident_role_definitions').where('key', '=', row.key).execute();
    changes.push(`incident role ${row.key}: removed${holding.length > 0 ? ` (still held on open incident${holding.length === 1 ? '' : 's'} ${holding.slice(0, 10).map((n) => `#${n}`).join(', ')} as a custom role)` : ''}`);
  }
}
