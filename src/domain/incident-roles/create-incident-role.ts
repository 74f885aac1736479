import { z } from 'zod';
import { conflict } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Ctx } from '../context.js';
import { IncidentRoleFields, nextPosition, toIncidentRoleView, type IncidentRoleView } from './role-definition.js';

const CreateInput = z.object(IncidentRoleFields);

/** Adds a role to the catalogue (at the end unless a position is given); the key must be new. */
export async function createIncidentRole({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IncidentRoleView> {
  authorize(ctx.actor, 'admin');
  const data = parseInput(CreateInput, input);
  const taken = () => conflict(`an incident role with key ${data.key} already exists`);
  try {
    return await ctx.store.transaction(async (tx) => {
      if (await tx.selectFrom('incident_role_definitions').select('key').where('key', '=', data.key).executeTakeFirst()) throw taken();
      const now = ctx.clock.now();
      const row = {
        key: data.key, name: data.name, description: data.description || null, position: data.position ?? (await nextPosition(tx)),
        managed_by: null, created_at: now, updated_at: now,
      };
      await tx.insertInto('incident_role_definitions').values(row).execute();
      await recordAudit(ctx, tx, { action: 'incident_role.create', target: row.key, data: { name: row.name } });
      return toIncidentRoleView(row);
    });
  } catch (e) {
    if (ctx.store.dialect.isUniqueViolation(e)) throw taken();
    throw e;
  }
}
