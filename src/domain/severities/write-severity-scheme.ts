import { conflict } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Tx } from '../../store/index.js';
import { bumpAlertConfigVersion } from '../alerts/alert-config.js';
import type { Ctx } from '../context.js';
import type { SeverityLevel } from './severity-scheme.js';

export interface SchemeChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * Makes the stored scheme equal to `levels` (already validated), keeping each kept level's row
 * so its id survives. Only rows that differ are written, so writing the same scheme twice
 * reports no changes. A level that open incidents still use cannot be removed.
 */
export async function writeSeverityScheme(ctx: Ctx, tx: Tx, levels: SeverityLevel[], managedBy: string | null): Promise<SchemeChanges> {
  const existing = await ctx.store.dialect.forUpdate(tx.selectFrom('severities').selectAll()).execute();
  const byKey = new Map(existing.map((r) => [r.key.toUpperCase(), r]));
  const wanted = new Set(levels.map((l) => l.key.toUpperCase()));
  const removed = existing.filter((r) => !wanted.has(r.key.toUpperCase()));
  if (removed.length > 0) {
    const inUse = await tx
      .selectFrom('incidents')
      .select(['number', 'severity'])
      .where('status', '!=', 'resolved')
      .where('severity', 'in', removed.map((r) => r.key))
      .orderBy('number')
      .execute();
    if (inUse.length > 0) {
      const keys = [...new Set(inUse.map((i) => i.severity))];
      throw conflict(`cannot remove severity ${keys.join(', ')}: open incidents ${inUse.slice(0, 20).map((i) => `#${i.number}`).join(', ')}${inUse.length > 20 ? ' …' : ''} use it; resolve them or change their severity first`);
    }
  }
  const now = ctx.clock.now();
  const changes: SchemeChanges = { added: [], changed: [], removed: removed.map((r) => r.key) };
  for (const [rank, level] of levels.entries()) {
    const values = {
      key: level.key,
      rank,
      name: level.name,
      description: level.description,
      examples: JSON.stringify(level.examples),
      ack_target_seconds: level.ackTargetSeconds,
      resolve_target_seconds: level.resolveTargetSeconds,
      update_cadence_seconds: level.updateCadenceSeconds,
      escalation_policy_id: level.escalationPolicyId,
      comm_tasks: JSON.stringify(level.commTasks ?? []),
      managed_by: managedBy,
      postmortem_required: level.postmortemRequired ? 1 : 0,
      postmortem_due_seconds: level.postmortemDueSeconds,
      business_hours: level.businessHours ? 1 : 0,
    };
    const row = byKey.get(level.key.toUpperCase());
    if (!row) {
      await tx.insertInto('severities').values({ id: newId('sev', now), ...values, created_at: now, updated_at: now }).execute();
      changes.added.push(level.key);
    } else if ((Object.keys(values) as (keyof typeof values)[]).some((k) => values[k] !== row[k])) {
      await tx.updateTable('severities').set({ ...values, updated_at: now }).where('id', '=', row.id).execute();
      changes.changed.push(level.key);
    }
  }
  if (removed.length > 0) await tx.deleteFrom('severities').where('id', 'in', removed.map((r) => r.id)).execute();
  // Alert ingestion keeps severity keys in process; this tells it they changed.
  if (hasSchemeChanges(changes)) await bumpAlertConfigVersion(tx);
  return changes;
}

export const hasSchemeChanges = (c: SchemeChanges): boolean => c.added.length + c.changed.length + c.removed.length > 0;
