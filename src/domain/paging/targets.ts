import type { Tx } from '../../store/index.js';
import type { EscalationPolicy, EscalationTarget, ResolveTargets } from '../escalation/index.js';
import { whoIsOnCall } from '../oncall/index.js';
import { loadSchedules } from './schedules-repo.js';

/**
 * The planner is pure and synchronous, so everything its targets may need is loaded first: the
 * schedules named (with overrides), team members, and which users are enabled.
 */
export async function loadTargetResolver(tx: Tx, targets: EscalationTarget[], now: number): Promise<ResolveTargets> {
  const scheduleIds = [...new Set(targets.filter((t) => t.type === 'schedule').map((t) => t.id))];
  const teamIds = [...new Set(targets.filter((t) => t.type === 'team').map((t) => t.id))];
  const schedules = await loadSchedules(tx, scheduleIds, now - 86_400_000);
  const members = teamIds.length
    ? await tx.selectFrom('team_members').select(['team_id', 'user_id']).where('team_id', 'in', teamIds).orderBy('created_at').execute()
    : [];
  const disabled = new Set(
    (await tx.selectFrom('users').select('id').where('disabled', '=', 1).execute()).map((r) => r.id),
  );
  const enabled = (ids: readonly string[]) => ids.filter((id) => !disabled.has(id));
  return (target, at) => {
    switch (target.type) {
      case 'user':
        return enabled([target.id]);
      case 'schedule': {
        const schedule = schedules.get(target.id);
        return schedule ? enabled(whoIsOnCall(schedule, at).userIds) : [];
      }
      case 'team':
        return enabled(members.filter((m) => m.team_id === target.id).map((m) => m.user_id));
    }
  };
}

export function policyTargets(policy: EscalationPolicy): EscalationTarget[] {
  return policy.levels.flatMap((l) => l.targets);
}
