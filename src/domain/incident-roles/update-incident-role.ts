import { z } from 'zod';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { findIncidentRole, IncidentRoleFields, toIncidentRoleView, type IncidentRoleView } from './role-definition.js';

const UpdateInput = z.object({
  role: z.string().trim().min(1).max(60),
  name: IncidentRoleFields.name.optional(),
  description: IncidentRoleFields.description,
  position: IncidentRoleFields.position,
});

/**
 * Changes a role's name, description or position. The key stays: incidents name the role by it.
 * A role firebreak.yaml declares answers 409 (edit the file).
 */
export async function updateIncidentRole({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentRoleView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(UpdateInput, input);
  return ctx.store.transaction(async (tx) => {
    const row = await findIncidentRole(tx, data.role);
    const next = {
      name: data.name ?? row.name,
      description: data.description === undefined ? row.description : data.description || null,
      position: data.position ?? Number(row.position),
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== (k === 'position' ? Number(row.position) : row[k]));
    if (changed.length === 0) return toIncidentRoleView(row);
    assertNotManaged(row, `incident role ${row.key}`);
    const updated = { ...row, ...next, updated_at: ctx.clock.now() };
    await tx.updateTable('incident_role_definitions').set({ ...next, updated_at: updated.updated_at }).where('key', '=', row.key).execute();
    await recordAudit(ctx, tx, { action: 'incident_role.update', target: row.key, data: { changed } });
    return toIncidentRoleView(updated);
  });
}
