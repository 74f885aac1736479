import type { Db, Tx } from '../../store/index.js';

/**
 * The escalation policies whose levels (or "if not resolved" steps) page each schedule, by name.
 * Deleting a schedule is refused while any do: a running incident would page nobody at that level.
 */
export async function policiesBySchedule(db: Db | Tx): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('escalation_policies').select(['name', 'levels', 'if_unresolved']).orderBy('name').execute();
  type Steps = { targets?: { type: string; id: string }[] }[];
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const steps = [...(JSON.parse(row.levels) as Steps), ...(row.if_unresolved ? (JSON.parse(row.if_unresolved) as Steps) : [])];
    const schedules = new Set(steps.flatMap((s) => (s.targets ?? []).filter((t) => t.type === 'schedule').map((t) => t.id)));
    for (const id of schedules) out.set(id, [...(out.get(id) ?? []), row.name]);
  }
  return out;
}

export async function policiesUsingSchedule(db: Db | Tx, scheduleId: string): Promise<string[]> {
  return (await policiesBySchedule(db)).get(scheduleId) ?? [];
}
