import { authorize } from '../access/authorize.js';
import { parseCommTasks } from '../audiences/comm-tasks.js';
import type { CommTask } from '../audiences/schemas.js';
import type { Ctx } from '../context.js';

export interface SeverityView {
  key: string;
  rank: number;
  name: string;
  description: string;
  examples: string[];
  ackTargetSeconds: number | null;
  resolveTargetSeconds: number | null;
  updateCadenceSeconds: number | null;
  escalationPolicyId: string | null;
  postmortemRequired: boolean;
  postmortemDueSeconds: number | null;
  /** Communication deadlines opened as incident tasks (see domain/audiences/comm-tasks.ts). */
  commTasks: CommTask[];
  /** Targets count business hours only (Monday–Friday 09:00–17:00 UTC). */
  businessHours: boolean;
  managedBy: string | null;
}

export async function listSeverities({ ctx }: { ctx: Ctx }): Promise<SeverityView[]> {
  authorize(ctx.actor, 'read');
  const rows = await ctx.store.db.selectFrom('severities').selectAll().orderBy('rank').execute();
  return rows.map((r) => ({
    key: r.key,
    rank: r.rank,
    name: r.name,
    description: r.description,
    examples: JSON.parse(r.examples) as string[],
    ackTargetSeconds: r.ack_target_seconds,
    resolveTargetSeconds: r.resolve_target_seconds,
    updateCadenceSeconds: r.update_cadence_seconds,
    escalationPolicyId: r.escalation_policy_id,
    postmortemRequired: Number(r.postmortem_required ?? 0) === 1,
    postmortemDueSeconds: r.postmortem_due_seconds == null ? null : Number(r.postmortem_due_seconds),
    commTasks: parseCommTasks(r.comm_tasks),
    businessHours: Number(r.business_hours ?? 0) === 1,
    managedBy: r.managed_by,
  }));
}
