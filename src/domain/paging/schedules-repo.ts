import { notFound } from '../../core/errors.js';
import type { Db, Tx } from '../../store/index.js';
import type { ScheduleTable } from '../../store/schema.js';
import type { Layer, Schedule } from '../oncall/index.js';

/** A stored schedule with its overrides, as the pure on-call code wants it. */
export function toSchedule(row: ScheduleTable, overrides: { id: string; user_id: string; replaces_user_id: string | null; start_at: number; end_at: number }[]): Schedule & { id: string; name: string } {
  return {
    id: row.id,
    name: row.name,
    ...(row.team_id ? { teamId: row.team_id } : {}),
    timeZone: row.time_zone,
    layers: JSON.parse(row.layers) as Layer[],
    overrides: overrides.map((o) => ({
      id: o.id,
      userId: o.user_id,
      start: o.start_at,
      end: o.end_at,
      ...(o.replaces_user_id ? { replacesUserId: o.replaces_user_id } : {}),
    })),
  };
}

/** Loads schedules by id with their overrides (those ending after `from`, when given). */
export async function loadSchedules(db: Db | Tx, ids: string[], from?: number): Promise<Map<string, Schedule & { id: string; name: string }>> {
  const out = new Map<string, Schedule & { id: string; name: string }>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('schedules').selectAll().where('id', 'in', ids).execute();
  let q = db.selectFrom('schedule_overrides').selectAll().where('schedule_id', 'in', ids);
  if (from !== undefined) q = q.where('end_at', '>', from);
  const overrides = await q.orderBy('created_at').orderBy('id').execute();
  for (const row of rows) out.set(row.id, toSchedule(row, overrides.filter((o) => o.schedule_id === row.id)));
  return out;
}

export async function loadSchedule(db: Db | Tx, ref: string, from?: number): Promise<Schedule & { id: string; name: string }> {
  const row = await db.selectFrom('schedules').select('id').where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)])).executeTakeFirst();
  if (!row) throw notFound('schedule', ref);
  return (await loadSchedules(db, [row.id], from)).get(row.id)!;
}
