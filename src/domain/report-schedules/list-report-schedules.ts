import { notFound } from '../../core/errors.js';
import { parseInput } from '../../core/validate.js';
import type { Db } from '../../store/index.js';
import { authorize } from '../access/authorize.js';
import type { Ctx } from '../context.js';
import { toReportScheduleView, type ReportScheduleView } from './report-schedule-view.js';
import { ReportScheduleRef } from './schemas.js';

async function lastSentOf(db: Db, scheduleIds: string[]) {
  if (scheduleIds.length === 0) return new Map<string, { period_start: number; period_end: number; sent_at: number | null }>();
  const rows = await db
    .selectFrom('report_sends')
    .select(['schedule_id', 'period_start', 'period_end', 'sent_at'])
    .where('schedule_id', 'in', scheduleIds)
    .where('status', '=', 'sent')
    .orderBy('period_start', 'desc')
    .execute();
  const last = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!last.has(r.schedule_id)) last.set(r.schedule_id, r);
  return last;
}

/** Every schedule with its last sent period. Recipients are addresses: admins only. */
export async function listReportSchedules({ ctx }: { ctx: Ctx }): Promise<ReportScheduleView[]> {
  authorize(ctx.actor, 'admin');
  const rows = await ctx.store.db.selectFrom('report_schedules').selectAll().orderBy('name').execute();
  const last = await lastSentOf(ctx.store.db, rows.map((r) => r.id));
  return rows.map((r) => toReportScheduleView(r, last.get(r.id)));
}

export async function getReportSchedule({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ReportScheduleView> {
  authorize(ctx.actor, 'admin');
  const { name } = parseInput(ReportScheduleRef, input);
  const row = await ctx.store.db.selectFrom('report_schedules').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw notFound('report schedule', name);
  return toReportScheduleView(row, (await lastSentOf(ctx.store.db, [row.id])).get(row.id));
}
