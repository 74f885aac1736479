import { AppError, conflict } from '../../core/errors.js';
import type { Tx } from '../../store/index.js';
import { recordAudit } from '../audit/record-audit.js';
import { assertNotManaged } from '../config/managed.js';
import type { Ctx } from '../context.js';
import { listSeverities, type SeverityView } from './list-severities.js';
import { validateSeverityScheme, type SeverityLevel } from './severity-scheme.js';
import { hasSchemeChanges, writeSeverityScheme } from './write-severity-scheme.js';

/** The stored ladder as scheme input, most severe first. */
export async function currentLadder(tx: Tx): Promise<{ levels: SeverityLevel[]; managed: { managed_by: string | null } | null }> {
  const rows = await tx.selectFrom('severities').selectAll().orderBy('rank').execute();
  const managed = rows.find((r) => r.managed_by !== null) ?? null;
  const levels = rows.map((r) => ({
    key: r.key,
    name: r.name,
    description: r.description,
    examples: JSON.parse(r.examples) as string[],
    ackTargetSeconds: r.ack_target_seconds == null ? null : Number(r.ack_target_seconds),
    resolveTargetSeconds: r.resolve_target_seconds == null ? null : Number(r.resolve_target_seconds),
    updateCadenceSeconds: r.update_cadence_seconds == null ? null : Number(r.update_cadence_seconds),
    escalationPolicyId: r.escalation_policy_id,
    postmortemRequired: Number(r.postmortem_required ?? 0) === 1,
    postmortemDueSeconds: r.postmortem_due_seconds == null ? null : Number(r.postmortem_due_seconds),
    commTasks: JSON.parse(r.comm_tasks ?? '[]') as SeverityLevel['commTasks'],
    businessHours: Number(r.business_hours ?? 0) === 1,
  }));
  return { levels, managed: managed ? { managed_by: managed.managed_by } : null };
}

/** Index of `key` in the ladder (keys compare case-insensitively, as the scheme does). */
export function levelIndex(levels: SeverityLevel[], key: string): number {
  return levels.findIndex((l) => l.key.toUpperCase() === key.trim().toUpperCase());
}

/**
 * Edits one level of the ladder: `change` gets the current levels and returns the new ladder
 * and the index of the level it touched (for naming fields), which is then validated and
 * written as a whole, exactly as replacing the scheme would. Field errors about the touched
 * level name the field alone (`resolveTargetSeconds`), as the single-level body spells it.
 */
export async function editLadder(
  ctx: Ctx,
  audit: { action: string; key: string },
  change: (levels: SeverityLevel[]) => { levels: SeverityLevel[]; index: number | null },
): Promise<SeverityView[]> {
  await ctx.store.transaction(async (tx) => {
    const current = await currentLadder(tx);
    if (current.managed) assertNotManaged(current.managed, 'the severity scheme');
    const { levels, index } = change(current.levels);
    if (levels.length === 0) throw conflict(`cannot delete severity ${audit.key}: it is the only level; a ladder needs at least one`);
    validateTouched(levels, index);
    const changes = await writeSeverityScheme(ctx, tx, levels, null);
    if (hasSchemeChanges(changes)) await recordAudit(ctx, tx, { action: audit.action, target: audit.key, data: { keys: levels.map((l) => l.key), ...changes } });
  });
  return listSeverities({ ctx });
}

function validateTouched(levels: SeverityLevel[], index: number | null): void {
  try {
    validateSeverityScheme(levels);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'VALIDATION' || index === null) throw e;
    const prefix = `severities.${index}.`;
    const issues = e.issues.map((i) => ({ ...i, field: i.field.startsWith(prefix) ? i.field.slice(prefix.length) : i.field }));
    throw new AppError('VALIDATION', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  }
}
