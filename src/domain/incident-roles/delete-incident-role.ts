import { conflict } from '../../core/errors.js';
import { authorize } from '../access/authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import type { Db, Tx } from '../../store/index.js';
import { findIncidentRole } from './role-definition.js';

/** Open (unresolved) incidents on which someone holds the role, by number. */
export async function incidentsHoldingRole(db: Db | Tx, key: string): Promise<number[]> {
  const rows = await db.selectFrom('incident_roles').innerJoin('incidents', 'incidents.id', 'incident_roles.incident_id')
    .select('incidents.number').where('incident_roles.role', '=', key).where('incidents.status', '!=', 'resolved')
    .orderBy('incidents.number').limit(11).execute();
  return rows.map((r) => Number(r.number));
}

/**
 * Removes a role from the catalogue. Refused (409, naming the incidents) while someone holds it
 * on an open incident: hand it off or resolve first, so nobody loses sight of who has the role
 * mid-incident. Resolved incidents keep their history: an assignment names the role as text.
 */
export async function deleteIncidentRole({ ctx, input }: { ctx: Ctx; input: { role: string } }): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.store.transaction(async (tx) => {
    const row = await findIncidentRole(tx, input.role);
    assertNotManaged(row, `incident role ${row.key}`);
    const holding = await incidentsHoldingRole(tx, row.key);
    if (holding.length > 0) {
      const shown = holding.slice(0, 10).map((n) => `#${n}`).join(', ');
      throw conflict(`incident role ${row.key} is held on ${holding.length > 10 ? 'more than 10' : holding.length} open incident${holding.length === 1 ? '' : 's'} (${shown}); hand it off or resolve ${holding.length === 1 ? 'it' : 'them'} first`);
    }
    await tx.deleteFrom('incident_role_definitions').where('key', '=', row.key).execute();
    await recordAudit(ctx, tx, { action: 'incident_role.delete', target: row.key, data: { name: row.name } });
  });
}
