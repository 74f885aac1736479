import type { Db, Tx } from '../../store/index.js';

/**
 * The escalation policies whose levels (or "if not resolved" steps) page a schedule, by name.
 * Deleting a schedule is refused while any do: a running incident would page nobody at that level.
 */
export async function policiesUsingSchedule(db: Db | Tx, scheduleId: string): Promise<string[]> {
  const rows = await db.selectFrom('escalation_policies').select(['name', 'levels', 'if_unresolved']).orderBy('name').execute();
  type Targets = { targets?: { type: string; id: string }[] }[];
  const pages = (text: string | null) => (text ? (JSON.parse(text) as Targets) : []).some((step) => (step.targets ?? []).some((t) => t.type === 'schedule' && t.id === scheduleId));
  return rows.filter((r) => pages(r.levels) || pages(r.if_unresolved)).map((r) => r.name);
}
