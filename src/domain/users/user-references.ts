import type { Db, Tx } from '../../store/index.js';
import type { EscalationLevel, UnresolvedEscalation } from '../escalation/index.js';
import type { Layer } from '../oncall/index.js';

/**
 * Where a user is named for paging: escalation policy levels and "if unresolved" entries that
 * target them directly, schedule layers that rotate through them, overrides still to come, and
 * teams (a team target pages its members). Shown when a user is disabled, because a disabled
 * user stays in all of these but is skipped when a page goes out: the admin should replace them.
 */
export async function userReferences(db: Db | Tx, userId: string, now: number): Promise<string[]> {
  const out: string[] = [];
  const policies = await db.selectFrom('escalation_policies').select(['name', 'levels', 'if_unresolved']).orderBy('name').execute();
  for (const p of policies) {
    const levels = JSON.parse(p.levels) as EscalationLevel[];
    levels.forEach((level, i) => {
      if (level.targets.some((t) => t.type === 'user' && t.id === userId)) out.push(`escalation policy ${p.name}, level ${i + 1}`);
    });
    const unresolved = p.if_unresolved ? (JSON.parse(p.if_unresolved) as UnresolvedEscalation[]) : [];
    unresolved.forEach((entry, i) => {
      if (entry.targets.some((t) => t.type === 'user' && t.id === userId)) out.push(`escalation policy ${p.name}, if unresolved ${i + 1}`);
    });
  }
  const schedules = await db.selectFrom('schedules').select(['id', 'name', 'layers']).orderBy('name').execute();
  for (const s of schedules) {
    for (const layer of JSON.parse(s.layers) as Layer[]) {
      if (layer.rotation.members.includes(userId)) out.push(`schedule ${s.name}, layer ${layer.name}`);
    }
  }
  const overrides = await db
    .selectFrom('schedule_overrides')
    .innerJoin('schedules', 'schedules.id', 'schedule_overrides.schedule_id')
    .select(['schedules.name', 'schedule_overrides.start_at'])
    .where('schedule_overrides.user_id', '=', userId)
    .where('schedule_overrides.end_at', '>', now)
    .orderBy('schedule_overrides.start_at')
    .execute();
  for (const o of overrides) out.push(`schedule ${o.name}, override from ${new Date(o.start_at).toISOString()}`);
  const teams = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select('teams.slug')
    .where('team_members.user_id', '=', userId)
    .orderBy('teams.slug')
    .execute();
  for (const t of teams) out.push(`team ${t.slug}`);
  return out;
}
